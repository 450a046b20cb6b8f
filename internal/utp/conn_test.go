package utp

import (
	"errors"
	"io"
	"testing"
	"time"
)

// connected runs a sim until both sides are connected and confirmed.
func connected(t *testing.T, link linkConfig) *sim {
	t.Helper()
	s := newSim(t, DefaultConfig(), link, 1)
	s.run(10*time.Second, func() bool {
		return s.conns[1] != nil && s.conns[0].State() == StateConnected && s.conns[1].confirmed
	})
	return s
}

func TestConnectionIDs(t *testing.T) {
	now := time.Unix(1000, 0)
	for _, sendID := range []uint16{0x1234, 0, 0xffff} {
		a := NewInitiator(DefaultConfig(), sendID, 0xfffe, now)
		if a.RecvID() != sendID-1 {
			t.Fatalf("initiator recv id %#x for send id %#x", a.RecvID(), sendID)
		}
		out := a.Outgoing(nil)
		if len(out) != 1 {
			t.Fatalf("initiator sent %d datagrams, want a SYN", len(out))
		}
		syn, err := ParsePacket(out[0].B)
		if err != nil {
			t.Fatal(err)
		}
		if syn.Type != TypeSyn || syn.ConnID != sendID-1 || syn.WndSize != 0 || syn.AckNr != 0 || syn.SeqNr != 0xfffe {
			t.Fatalf("SYN %+v", syn.Header)
		}
		b := NewAcceptor(DefaultConfig(), syn, 77, now)
		if b.SendID() != syn.ConnID || b.RecvID() != syn.ConnID+1 || b.RecvID() != sendID {
			t.Fatalf("acceptor ids send %#x recv %#x for SYN id %#x", b.SendID(), b.RecvID(), syn.ConnID)
		}
		if len(b.Outgoing(nil)) != 0 {
			t.Fatal("acceptor answered before Flush: the ACK should be deferred")
		}
		b.Flush(now)
		out = b.Outgoing(nil)
		if len(out) != 1 {
			t.Fatalf("acceptor sent %d datagrams on Flush", len(out))
		}
		st, _ := ParsePacket(out[0].B)
		if st.Type != TypeState || st.ConnID != b.SendID() || st.AckNr != 0xfffe || st.SeqNr != 77 {
			t.Fatalf("SYN-ACK %+v", st.Header)
		}
		a.Incoming(st, now)
		if a.State() != StateConnected {
			t.Fatalf("initiator %v after the SYN-ACK", a.State())
		}
	}
}

// TestGiveUp: with every packet lost the connection ends with ErrTimedOut
// after the resends the settings allow, waiting longer each time.
func TestGiveUp(t *testing.T) {
	t.Run("syn", func(t *testing.T) {
		s := newSim(t, DefaultConfig(), linkConfig{delay: 10 * time.Millisecond, loss: 1}, 1)
		s.run(time.Minute, func() bool { return s.conns[0].State() == StateClosed })
		// SYN at 0, 3 s and 9 s (utp_connect_timeout doubling); gives up at 21 s.
		if !errors.Is(s.conns[0].Err(), ErrTimedOut) || s.elapsed() != 21*time.Second || s.sent[0][TypeSyn] != 3 {
			t.Fatalf("err %v after %v with %d SYNs", s.conns[0].Err(), s.elapsed(), s.sent[0][TypeSyn])
		}
	})
	t.Run("data", func(t *testing.T) {
		s := connected(t, linkConfig{delay: 10 * time.Millisecond})
		s.link.loss = 1
		start := s.now
		if n, err := s.conns[0].Write([]byte("hello"), s.now); n != 5 || err != nil {
			t.Fatal(n, err)
		}
		s.run(time.Minute, func() bool { return s.conns[0].State() == StateClosed })
		// RTO 500 ms (utp_min_timeout), then +1 s, +2 s, +4 s: the packet goes
		// out 1+utp_num_resends times and the fourth timeout ends it.
		want := 500*time.Millisecond + 1500*time.Millisecond + 2500*time.Millisecond + 4500*time.Millisecond
		if got := s.now.Sub(start); !errors.Is(s.conns[0].Err(), ErrTimedOut) || got != want || s.sent[0][TypeData] != 4 {
			t.Fatalf("err %v after %v (want %v) with %d DATA", s.conns[0].Err(), got, want, s.sent[0][TypeData])
		}
		if _, err := s.conns[0].Read(make([]byte, 10), s.now); !errors.Is(err, ErrTimedOut) {
			t.Fatalf("Read after the timeout: %v", err)
		}
	})
}

// TestSYNACKLost: the initiator's second SYN is answered again.
func TestSYNACKLost(t *testing.T) {
	lost := false
	link := linkConfig{delay: 10 * time.Millisecond, drop: func(from int, p Packet) bool {
		if from == 1 && p.Type == TypeState && !lost {
			lost = true
			return true
		}
		return false
	}}
	s := newSim(t, DefaultConfig(), link, 1)
	s.run(time.Minute, func() bool { return s.conns[0].State() == StateConnected })
	if s.elapsed() != 3*time.Second+20*time.Millisecond || s.sent[0][TypeSyn] != 2 {
		t.Fatalf("connected after %v with %d SYNs", s.elapsed(), s.sent[0][TypeSyn])
	}
}

// TestFastRetransmit: one lost data packet in a stream is resent on the
// duplicate/selective ACKs that follow, with no timeout, and halves cwnd.
func TestFastRetransmit(t *testing.T) {
	n := 0
	link := linkConfig{delay: 10 * time.Millisecond, drop: func(from int, p Packet) bool {
		if from == 0 && p.Type == TypeData {
			n++
			return n == 60
		}
		return false
	}}
	s := newSim(t, DefaultConfig(), link, 1)
	tr := newTransfer(1, 1<<20, 0)
	s.app = tr.app
	s.run(time.Minute, tr.done(s))
	tr.check(t, s)
	st := s.conns[0].Stats()
	if st.FastRetransmit != 1 || st.Timeouts != 0 || st.PacketLoss != 1 || st.PacketResend != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// TestNagle: small writes while a small packet is unacked are coalesced:
// 1000 bytes in 10-byte writes go as 10 bytes, one full (528-byte) packet,
// then the other 462 bytes when the first is acked.
func TestNagle(t *testing.T) {
	for _, tt := range []struct {
		nagle bool
		want  int
	}{{true, 3}, {false, 100}} {
		s := connected(t, linkConfig{delay: 50 * time.Millisecond})
		s.trace = testing.Verbose() && *traceFlag
		s.cfg.Nagle = tt.nagle
		s.conns[0].cfg.Nagle = tt.nagle
		before := s.sent[0][TypeData]
		var want []byte
		for i := range 100 {
			msg := []byte{byte(i), 1, 2, 3, 4, 5, 6, 7, 8, 9}
			want = append(want, msg...)
			if n, err := s.conns[0].Write(msg, s.now); n != len(msg) || err != nil {
				t.Fatal(n, err)
			}
		}
		var got []byte
		buf := make([]byte, 4096)
		s.run(time.Minute, func() bool {
			n, _ := s.conns[1].Read(buf, s.now)
			got = append(got, buf[:n]...)
			return len(got) == len(want)
		})
		if string(got) != string(want) {
			t.Fatalf("nagle %v: data mangled", tt.nagle)
		}
		if n := s.sent[0][TypeData] - before; n != tt.want {
			t.Errorf("nagle %v: 100 writes of 10 bytes took %d packets, want %d", tt.nagle, n, tt.want)
		}
	}
}

// TestReceiveWindow: a reader that stops reading for 20 s caps what is
// buffered at the receive buffer; the sender waits, probing the shut window
// ever more rarely and without timing out, and resumes when reading does,
// even when the window update or probes are lost.
func TestReceiveWindow(t *testing.T) {
	for _, loss := range []float64{0, 0.05} {
		s := newSim(t, DefaultConfig(), linkConfig{delay: 10 * time.Millisecond, loss: loss}, 1)
		s.trace = testing.Verbose() && *traceFlag && loss > 0
		tr := newTransfer(1, 3<<20, 0)
		tr.holdReads[1] = s.start.Add(20 * time.Second)
		s.wakes = append(s.wakes, tr.holdReads[1])
		peak := 0
		s.app = func(s *sim) {
			tr.app(s)
			if b := s.conns[1]; b != nil {
				peak = max(peak, b.recvQ.len()+b.inbuf.bytes)
			}
		}
		s.run(time.Minute, func() bool { return s.elapsed() > 5*time.Second })
		dataBefore := s.sent[0][TypeData]
		s.run(time.Minute, func() bool { return s.elapsed() > 19*time.Second })
		probes := s.sent[0][TypeData] - dataBefore
		if rb := DefaultConfig().ReceiveBuffer; peak > rb || peak < rb-2*1472 {
			t.Fatalf("loss %v: buffered %d while not reading, want just under %d", loss, peak, rb)
		}
		if probes < 1 || probes > 6 {
			t.Fatalf("loss %v: %d window probes from 5 s to 19 s, want a few, backing off", loss, probes)
		}
		s.run(2*time.Minute, tr.done(s))
		tr.check(t, s)
		t.Logf("loss %v: %d probes while shut, done after %v, %+v", loss, probes, s.elapsed(), s.conns[0].Stats())
		// Clean, the rest takes a few RTTs of slow start; at 5% loss the
		// timeouts of lost resends dominate.
		limit := 21 * time.Second
		if loss > 0 {
			limit = 40 * time.Second
		}
		if s.elapsed() > limit {
			t.Errorf("loss %v: the last 2 MiB took until %v after reading resumed at 20 s", loss, s.elapsed())
		}
	}
}

// TestPathMTU: packets grow from the floor towards the path's limit by
// probing, and never exceed 1472 bytes. Only a lost probe's resends (sent
// without DF) are bigger than the path.
func TestPathMTU(t *testing.T) {
	for _, tt := range []struct {
		pathMax int
		lo, hi  int
	}{{0, 1460, 1472}, {1400, 1380, 1400}, {1000, 960, 1000}} {
		link := linkConfig{delay: 10 * time.Millisecond, maxDatagram: tt.pathMax}
		s := newSim(t, DefaultConfig(), link, 1)
		s.trace = testing.Verbose() && *traceFlag
		tr := newTransfer(1, 2<<20, 0)
		s.app = tr.app
		s.run(time.Minute, tr.done(s))
		tr.check(t, s)
		mtu := s.conns[0].MTU()
		if mtu < tt.lo || mtu > tt.hi || s.maxSize > 1472 || s.probes == 0 || s.fragmented > s.dropped {
			t.Errorf("path %d: mtu %d (want %d..%d), largest datagram %d, %d probes, %d lost, %d fragmented",
				tt.pathMax, mtu, tt.lo, tt.hi, s.maxSize, s.probes, s.dropped, s.fragmented)
		}
		t.Logf("path %d: mtu %d after %d probes, %d lost, %d fragmented, %+v", tt.pathMax, mtu, s.probes, s.dropped, s.fragmented, s.conns[0].Stats())
	}
}

// TestReset: a RESET ends the connection; a side that lost the connection
// answers its peer's packets with RESET.
func TestReset(t *testing.T) {
	s := connected(t, linkConfig{delay: 10 * time.Millisecond})
	s.conns[0].close(ErrTimedOut) // side 0 forgets the connection
	if _, err := s.conns[1].Write([]byte("anyone there?"), s.now); err != nil {
		t.Fatal(err)
	}
	s.run(time.Minute, func() bool { return s.conns[1].State() == StateClosed })
	if !errors.Is(s.conns[1].Err(), ErrReset) || s.sent[0][TypeReset] != 1 {
		t.Fatalf("side 1: %v after %d RESETs", s.conns[1].Err(), s.sent[0][TypeReset])
	}
	if _, err := s.conns[1].Read(make([]byte, 1), s.now); !errors.Is(err, ErrReset) {
		t.Fatalf("Read: %v", err)
	}
	if _, err := s.conns[1].Write([]byte("x"), s.now); !errors.Is(err, ErrReset) {
		t.Fatalf("Write: %v", err)
	}
}

// TestCloseReason: the reason given to Close reaches the peer, and both
// sides end cleanly with io.EOF on Read.
func TestCloseReason(t *testing.T) {
	s := newSim(t, DefaultConfig(), linkConfig{delay: 10 * time.Millisecond}, 1)
	tr := newTransfer(1, 1000, 0)
	tr.reason = 7
	s.app = tr.app
	s.run(time.Minute, tr.done(s))
	tr.check(t, s)
	if r, ok := s.conns[1].RemoteCloseReason(); !ok || r != 7 {
		t.Fatalf("close reason %d %v", r, ok)
	}
	if _, ok := s.conns[0].RemoteCloseReason(); ok {
		t.Fatal("side 0 got a close reason nobody sent")
	}
	for i, c := range s.conns {
		if _, err := c.Read(make([]byte, 1), s.now); err != io.EOF {
			t.Fatalf("side %d Read after close: %v", i, err)
		}
	}
}

// TestKeepAlive: an idle connection sends an ACK every KeepAlive and
// nothing else.
func TestKeepAlive(t *testing.T) {
	s := connected(t, linkConfig{delay: 10 * time.Millisecond})
	before := s.sent[0]
	start := s.now
	s.run(3*time.Minute, func() bool { return s.now.Sub(start) >= 2*time.Minute })
	got := s.sent[0]
	if n := got[TypeState] - before[TypeState]; n < 4 || n > 5 {
		t.Fatalf("%d keep-alives in 2 minutes, want 4 (every %v)", n, DefaultConfig().KeepAlive)
	}
	if got[TypeData] != before[TypeData] || s.conns[0].State() != StateConnected || s.conns[1].State() != StateConnected {
		t.Fatalf("idle connection: %v / %v, data sent %d", s.conns[0].State(), s.conns[1].State(), got[TypeData]-before[TypeData])
	}
}

// TestIdleReleasesBuffers: after a transfer, a connection that stays idle
// for a keep-alive period holds no ring buffers, and works again after.
func TestIdleReleasesBuffers(t *testing.T) {
	s := connected(t, linkConfig{delay: 10 * time.Millisecond})
	tr := newTransfer(1, 256<<10, 256<<10)
	s.app = func(s *sim) {
		for i, c := range s.conns {
			if tr.written[i] < len(tr.out[i]) {
				n, _ := c.Write(tr.out[i][tr.written[i]:], s.now)
				tr.written[i] += n
			}
			n, _ := c.Read(tr.buf, s.now)
			tr.got[i] = append(tr.got[i], tr.buf[:n]...)
		}
	}
	moved := func() bool { return len(tr.got[0]) == len(tr.out[1]) && len(tr.got[1]) == len(tr.out[0]) }
	s.run(time.Minute, moved)
	for i, c := range s.conns {
		if c.send.buf == nil || c.recvQ.buf == nil {
			t.Fatalf("side %d moved data without ring buffers", i)
		}
	}
	start := s.now
	s.run(time.Minute, func() bool { return s.now.Sub(start) > DefaultConfig().KeepAlive+time.Second })
	for i, c := range s.conns {
		if c.send.buf != nil || c.recvQ.buf != nil || c.outbuf.pkts != nil || c.inbuf.slots != nil || c.State() != StateConnected {
			t.Fatalf("side %d idle for %v still holds %d+%d ring bytes, %d+%d slots (%v)", i, s.now.Sub(start),
				len(c.send.buf), len(c.recvQ.buf), len(c.outbuf.pkts), len(c.inbuf.slots), c.State())
		}
	}
	s.app = tr.app // both sides close, the data being through
	s.run(2*time.Minute, tr.done(s))
	tr.check(t, s)
}

// TestIgnoresBogusAcks: a packet acking what was never sent, or from long
// before the window, changes nothing.
func TestIgnoresBogusAcks(t *testing.T) {
	s := connected(t, linkConfig{delay: 10 * time.Millisecond})
	a := s.conns[0]
	if _, err := a.Write(make([]byte, 3000), s.now); err != nil {
		t.Fatal(err)
	}
	acked, inFlight := a.ackedSeq, a.BytesInFlight()
	for _, ack := range []uint16{a.seqNr + 1, a.seqNr + 1000, a.ackedSeq - 100} {
		a.Incoming(Packet{Header: Header{Type: TypeState, ConnID: a.RecvID(), SeqNr: a.ackNr + 1, AckNr: ack, WndSize: 1 << 20}}, s.now)
		if a.ackedSeq != acked || a.BytesInFlight() != inFlight || a.State() != StateConnected {
			t.Fatalf("ack %d moved acked %d -> %d, in flight %d -> %d", ack, acked, a.ackedSeq, inFlight, a.BytesInFlight())
		}
	}
	// Wrong connection id: ignored too, even a RESET.
	a.Incoming(Packet{Header: Header{Type: TypeReset, ConnID: a.RecvID() + 5, AckNr: a.seqNr - 1}}, s.now)
	if a.State() != StateConnected {
		t.Fatal("RESET with another connection id closed the connection")
	}
}
