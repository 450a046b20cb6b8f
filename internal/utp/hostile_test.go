package utp

import (
	"errors"
	"io"
	"testing"
	"time"
)

// forger makes packets for side 0 of a connected sim as if side 1 sent
// them: a hostile or broken peer, driven by hand.
type forger struct {
	s *sim
	a *Conn
}

func newForger(t *testing.T) *forger {
	s := connected(t, linkConfig{delay: 10 * time.Millisecond})
	return &forger{s: s, a: s.conns[0]}
}

func (f *forger) pkt(typ PacketType, seq, ack uint16) Packet {
	return Packet{Header: Header{Type: typ, ConnID: f.a.RecvID(), SeqNr: seq, AckNr: ack, WndSize: 1 << 20,
		TimestampMicros: micros(f.s.now), TimestampDiffMicros: 1000}}
}

// send hands p to side 0 as a read batch of one and checks its books.
func (f *forger) send(t *testing.T, p Packet) {
	t.Helper()
	f.a.Incoming(p, f.s.now)
	f.a.Flush(f.s.now)
	if err := f.a.invariantErr(); err != nil {
		t.Fatalf("after %v seq %d ack %d: %v", p.Type, p.SeqNr, p.AckNr, err)
	}
}

// TestHostileReset: a RESET that is not for this connection, or whose
// numbers could not come from the peer, changes nothing; the peer's real
// RESET ends the connection with ErrReset.
func TestHostileReset(t *testing.T) {
	f := newForger(t)
	a := f.a
	if _, err := a.Write(make([]byte, 3000), f.s.now); err != nil {
		t.Fatal(err)
	}
	next := a.ackNr + 1
	for _, bad := range []struct {
		name string
		p    Packet
	}{
		{"another connection id", func() Packet { p := f.pkt(TypeReset, next, a.seqNr-1); p.ConnID++; return p }()},
		{"ack of a packet never sent", f.pkt(TypeReset, next, a.seqNr+1)},
		{"ack from long before the window", f.pkt(TypeReset, next, a.ackedSeq-100)},
		{"ack half the sequence space away", f.pkt(TypeReset, next, a.seqNr+0x8000)},
		{"seq far beyond the reorder buffer", f.pkt(TypeReset, next+0x6000, a.seqNr-1)},
	} {
		f.send(t, bad.p)
		if a.State() != StateConnected {
			t.Fatalf("RESET with %s: %v (%v)", bad.name, a.State(), a.Err())
		}
	}
	if st := a.Stats(); st.Redundant != 4 {
		t.Fatalf("%d packets counted redundant, want the 4 with our connection id", st.Redundant)
	}
	f.send(t, f.pkt(TypeReset, next, a.seqNr-1))
	if a.State() != StateClosed || !errors.Is(a.Err(), ErrReset) {
		t.Fatalf("real RESET: %v %v", a.State(), a.Err())
	}
	if _, err := a.Read(make([]byte, 10), f.s.now); !errors.Is(err, ErrReset) {
		t.Fatalf("Read: %v", err)
	}
}

// TestHostileAcks: packets acking what we never sent are dropped whole
// (their SACK, window and payload with them), counted, and change nothing;
// a SACK claiming packets past what we sent acks only what we did send.
func TestHostileAcks(t *testing.T) {
	f := newForger(t)
	a := f.a
	if _, err := a.Write(make([]byte, 3000), f.s.now); err != nil {
		t.Fatal(err)
	}
	a.Outgoing(nil)
	seq, acked, inFlight, readable := a.seqNr, a.ackedSeq, a.BytesInFlight(), a.Readable()
	allOnes := make([]byte, 252)
	for i := range allOnes {
		allOnes[i] = 0xff
	}
	beyond := f.pkt(TypeData, a.ackNr+1, a.seqNr+3)
	beyond.Payload = []byte("not to be read")
	beyond.SACK = allOnes
	beyond.WndSize = 0
	f.send(t, beyond)
	if a.ackedSeq != acked || a.BytesInFlight() != inFlight || a.Readable() != readable || a.advWnd == 0 || a.Stats().Redundant != 1 {
		t.Fatalf("ack beyond what was sent changed things: acked %d->%d, in flight %d->%d, readable %d, window %d, %+v",
			acked, a.ackedSeq, inFlight, a.BytesInFlight(), a.Readable(), a.advWnd, a.Stats())
	}
	// The first packet unacked, everything else (and 2000 packets never
	// sent) selectively acked.
	sent := int(seq - acked - 1)
	if sent < 2 {
		t.Fatalf("only %d packets in flight", sent)
	}
	sack := f.pkt(TypeState, a.ackNr, acked)
	sack.SACK = allOnes
	f.send(t, sack)
	// Acked: what was sent but the first. Unacked: the first, and what
	// the window then let go (none of which the SACK could have meant).
	if a.ackedSeq != acked || a.outbuf.len() != 1+int(a.seqNr-seq) || a.outbuf.at(acked+1) == nil || a.State() != StateConnected {
		t.Fatalf("after a far-future SACK: seq %d->%d, acked %d->%d, %d packets unacked", seq, a.seqNr, acked, a.ackedSeq, a.outbuf.len())
	}
	// The rest goes through normally.
	f.s.app = func(s *sim) { s.conns[1].Read(make([]byte, 4096), s.now) }
	f.s.run(time.Minute, func() bool { return a.BytesInFlight() == 0 && a.queued() == 0 })
}

// TestHostileZeroWindow: a peer that answers every probe but never opens
// its window again is probed ever more rarely, costs no more than the send
// buffer, and is given up after Config.ZeroWindowTimeout with ErrTimedOut.
func TestHostileZeroWindow(t *testing.T) {
	s := newSim(t, DefaultConfig(), linkConfig{delay: 10 * time.Millisecond}, 1)
	src := make([]byte, 64<<10)
	maxHeld, written := 0, 0
	s.app = func(s *sim) { // side 0 writes all it may; side 1 never reads
		if a := s.conns[0]; a.State() != StateClosed {
			n, err := a.Write(src, s.now)
			if err != nil {
				t.Fatal(err)
			}
			written += n
			maxHeld = max(maxHeld, a.send.len())
		}
	}
	s.run(10*time.Minute, func() bool { return s.conns[0].State() == StateClosed })
	a := s.conns[0]
	cfg := DefaultConfig()
	if !errors.Is(a.Err(), ErrTimedOut) || s.elapsed() < cfg.ZeroWindowTimeout || s.elapsed() > cfg.ZeroWindowTimeout+2*time.Minute {
		t.Fatalf("closed with %v after %v, want ErrTimedOut a little after %v", a.Err(), s.elapsed(), cfg.ZeroWindowTimeout)
	}
	if maxHeld > cfg.SendBuffer || written > cfg.SendBuffer+cfg.ReceiveBuffer {
		t.Fatalf("held %d bytes, accepted %d: more than the buffers", maxHeld, written)
	}
	if probes := s.sent[0][TypeData] - (cfg.ReceiveBuffer / 1000); probes > 20 {
		t.Fatalf("about %d window probes in %v: not backing off", probes, s.elapsed())
	}
	if _, err := a.Write([]byte("x"), s.now); !errors.Is(err, ErrTimedOut) {
		t.Fatalf("Write after giving up: %v", err)
	}
}

// TestHostileBeyondWindow: a peer sending past our receive window (in
// order, out of order, and far ahead) while we do not read gets its excess
// dropped and counted; what is held stays within the receive buffer.
func TestHostileBeyondWindow(t *testing.T) {
	f := newForger(t)
	a := f.a
	cfg := DefaultConfig()
	payload := make([]byte, 1400)
	base := a.ackNr + 1
	// In order, twice the window.
	for i := range 2 * cfg.ReceiveBuffer / len(payload) {
		p := f.pkt(TypeData, base+uint16(i), a.seqNr-1)
		p.Payload = payload
		f.send(t, p)
	}
	inOrder := a.Readable()
	if inOrder > cfg.ReceiveBuffer || inOrder < cfg.ReceiveBuffer-len(payload) || a.Stats().RecvWindowDrops == 0 {
		t.Fatalf("buffered %d in order, %+v", inOrder, a.Stats())
	}
	// Read half, then the peer floods out of order: one-byte packets into
	// every reorder slot, then 1400-byte ones, then far ahead.
	a.Read(make([]byte, cfg.ReceiveBuffer/2), f.s.now)
	next := a.ackNr + 2
	for i := range int(a.maxReorder()) + 100 {
		p := f.pkt(TypeData, next+uint16(i), a.seqNr-1)
		p.Payload = payload[:1]
		f.send(t, p)
	}
	for i := range 1000 {
		p := f.pkt(TypeData, next+uint16(i), a.seqNr-1)
		p.Payload = payload
		f.send(t, p)
	}
	for _, far := range []uint16{a.maxReorder() + 10, 0x4000, 0x7fff} {
		p := f.pkt(TypeData, a.ackNr+far, a.seqNr-1)
		p.Payload = payload
		f.send(t, p)
	}
	held, mem := 0, 0
	a.inbuf.each(func(_ uint16, b []byte) { held += len(b); mem += cap(b) })
	if a.Readable()+held > cfg.ReceiveBuffer || a.inbuf.count > int(a.maxReorder()) ||
		len(a.recvQ.buf) > 2*cfg.ReceiveBuffer || mem > 2*cfg.ReceiveBuffer {
		t.Fatalf("holding %d in order (ring %d) + %d out of order (%d packets, %d bytes of buffers)",
			a.Readable(), len(a.recvQ.buf), held, a.inbuf.count, mem)
	}
	if a.State() != StateConnected {
		t.Fatalf("%v: %v", a.State(), a.Err())
	}
	t.Logf("%+v", a.Stats())
}

// TestHostileDuplicates: the same packet ten thousand times in one read
// batch is taken once; the rest are counted as redundant and cost one ACK.
func TestHostileDuplicates(t *testing.T) {
	f := newForger(t)
	a := f.a
	a.Outgoing(nil)
	p := f.pkt(TypeData, a.ackNr+2, a.seqNr-1) // out of order: held
	p.Payload = []byte("duplicate")
	q := f.pkt(TypeData, a.ackNr+1, a.seqNr-1) // in order: delivered
	q.Payload = []byte("original ")
	for range 10000 {
		a.Incoming(p, f.s.now)
	}
	for range 10000 {
		a.Incoming(q, f.s.now)
	}
	a.Flush(f.s.now)
	if n := len(a.Outgoing(nil)); n != 1 {
		t.Fatalf("%d datagrams for one read batch, want one ACK", n)
	}
	if st := a.Stats(); st.Redundant != 2*9999 {
		t.Fatalf("%d redundant, want %d", st.Redundant, 2*9999)
	}
	buf := make([]byte, 100)
	n, err := a.Read(buf, f.s.now)
	if string(buf[:n]) != "original duplicate" || err != nil {
		t.Fatalf("read %q %v", buf[:n], err)
	}
	// A flood of duplicate ACKs fast-resends the first unacked packet once.
	if _, err := a.Write(make([]byte, 5000), f.s.now); err != nil {
		t.Fatal(err)
	}
	a.Outgoing(nil)
	dup := f.pkt(TypeState, a.ackNr, a.ackedSeq)
	for range 10000 {
		a.Incoming(dup, f.s.now)
	}
	if st := a.Stats(); st.FastRetransmit != 1 || len(a.Outgoing(nil)) > 2 {
		t.Fatalf("after 10000 duplicate ACKs: %+v", st)
	}
	if _, err := a.Read(buf, f.s.now); err != nil && err != io.EOF {
		t.Fatal(err)
	}
}

// TestHostileChatterWithoutAcks: a peer that keeps sending packets (here a
// duplicate ACK every 300 ms) but never acks our data cannot hold off the
// retransmission timeout: the connection gives up with ErrTimedOut after
// the resends allowed. (libtorrent restarts the timer on every packet.)
func TestHostileChatterWithoutAcks(t *testing.T) {
	f := newForger(t)
	a := f.a
	if _, err := a.Write([]byte("never acked"), f.s.now); err != nil {
		t.Fatal(err)
	}
	start := f.s.now
	for a.State() != StateClosed && f.s.now.Sub(start) < time.Minute {
		f.s.now = f.s.now.Add(300 * time.Millisecond)
		f.send(t, f.pkt(TypeState, a.ackNr, a.ackedSeq))
		if d := a.Deadline(); !d.IsZero() && !f.s.now.Before(d) {
			a.Tick(f.s.now)
		}
		a.Outgoing(nil)
	}
	if !errors.Is(a.Err(), ErrTimedOut) {
		t.Fatalf("after %v of chatter: %v %v, %+v", f.s.now.Sub(start), a.State(), a.Err(), a.Stats())
	}
	t.Logf("gave up after %v, %+v", f.s.now.Sub(start), a.Stats())
}

// TestHostileDataAfterFIN: data held out of order that turns out to lie
// past the peer's FIN is dropped when the FIN completes the stream (found
// by FuzzConnIncoming: the reorder buffer kept it at ack_nr+1).
func TestHostileDataAfterFIN(t *testing.T) {
	f := newForger(t)
	a := f.a
	next := a.ackNr + 1
	beyond := f.pkt(TypeData, next+1, a.seqNr-1)
	beyond.Payload = []byte("after the end")
	f.send(t, beyond)
	f.send(t, f.pkt(TypeFin, next, a.seqNr-1))
	if a.inbuf.count != 0 || a.inbuf.bytes != 0 || !a.finGot {
		t.Fatalf("after the FIN: %d held (%d bytes), fin %v", a.inbuf.count, a.inbuf.bytes, a.finGot)
	}
	if n, err := a.Read(make([]byte, 100), f.s.now); n != 0 || err != io.EOF {
		t.Fatalf("Read: %d %v", n, err)
	}
}
