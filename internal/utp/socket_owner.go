package utp

import (
	"encoding/binary"
	"math/rand/v2"
	"net"
	"net/netip"
	"time"
)

// entry is one connection in the owner's table.
type entry struct {
	key      connKey
	c        *Conn
	st       *Stream
	hidx     int       // index in the timer heap, -1 when not in it
	deadline time.Time // when it is in the heap: its key there
	peerSeq  uint16    // seq_nr of the peer's latest packet, for a RESET
	ourSeq   uint16    // seq_nr of our latest packet, likewise
	ackSent  uint16    // ack_nr of our latest packet: the peer's data up to it is in
	acked    bool      // ackSent is set
	closed   bool      // Conn.Close was called
	touched  bool      // in ownerState.touched
}

// outDatagram is a datagram waiting for the next send.
type outDatagram struct {
	b  []byte
	to netip.AddrPort
}

// counters are the socket-level numbers the owner keeps.
type counters struct {
	packetsIn, payloadIn, payloadOut, invalidIn, redundantIn uint64
	unclaimed, resetsOut, backlogFull, sendErrors            uint64
}

// ownerState is everything only the owner goroutine touches.
type ownerState struct {
	s        *Socket
	conns    map[connKey]*entry
	last     *entry // the connection lookup found last; never one removed
	timers   timerHeap
	timer    *time.Timer
	timerAt  time.Time
	touched  []*entry
	inbox    []*Stream
	out      []outDatagram
	dgrams   []Datagram
	scratch  []byte
	rng      *rand.Rand
	n        counters
	ended    Stats // summed over connections that left the table
	resetBuf []byte
}

func (o *ownerState) init(s *Socket) {
	o.s = s
	o.conns = make(map[connKey]*entry)
	o.timer = time.NewTimer(time.Hour)
	o.timer.Stop()
	o.scratch = make([]byte, 64<<10)
	o.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
}

// touch marks e for service (Flush, data moves, timers) after this event.
func (o *ownerState) touch(e *entry) {
	if !e.touched {
		e.touched = true
		o.touched = append(o.touched, e)
	}
}

// flushTouched services every connection this event reached: the ACK owed
// for a read batch goes out once (libtorrent's deferred ACK), data moves
// between the Conn and its Stream, and closed connections leave.
func (o *ownerState) flushTouched() {
	if len(o.touched) == 0 {
		return
	}
	now := time.Now()
	for _, e := range o.touched {
		e.touched = false
		e.c.Flush(now)
		o.service(e, now)
	}
	clear(o.touched)
	o.touched = o.touched[:0]
}

func (o *ownerState) handleInbox() {
	o.inbox = o.s.takeInbox(o.inbox[:0])
	for _, st := range o.inbox {
		if st.e != nil {
			o.touch(st.e)
		}
	}
	clear(o.inbox)
}

// service moves data between e's Conn and its Stream, carries out the
// Stream's close requests, and keeps the table and timers current.
func (o *ownerState) service(e *entry, now time.Time) {
	c, st := e.c, e.st
	st.mu.Lock()
	if n := st.wbuf.len(); n > 0 && !e.closed {
		k, _ := c.Write(st.wbuf.bytes(), now)
		st.wbuf.consume(k)
		if k > 0 && n >= st.wlimit {
			signal(st.wwake)
		}
	}
	if (st.appClosed || st.wclosed) && st.wbuf.len() == 0 && !e.closed {
		c.Close(0, now)
		e.closed = true
	}
	switch {
	case st.appClosed:
		// Nobody reads any more: keep the window open so the peer can
		// finish and our FIN is not stuck behind a full buffer.
		for {
			if k, _ := c.Read(o.scratch, now); k == 0 {
				break
			}
		}
	case st.rerr == nil:
		wasEmpty := st.rbuf.len() == 0
		st.rfull = o.pull(c, st, now)
		if (wasEmpty && st.rbuf.len() > 0) || st.rerr != nil {
			signal(st.rwake)
		}
	}
	if !st.established && c.State() != StateSynSent {
		st.established = true
		close(st.connected)
	}
	closed := c.State() == StateClosed
	if closed {
		st.endLocked(c.Err())
	}
	st.mu.Unlock()
	o.collect(e)
	if closed {
		o.remove(e)
	} else {
		o.schedule(e, c.Deadline())
	}
}

// pull moves received bytes from c to st.rbuf, as many as the buffer
// limit allows, and notes the end of the stream when everything before it
// is pulled. It reports whether c still holds bytes. A closed Conn leaves
// the table now, so then everything comes over, past the limit (the
// Conn's receive buffer bounds it).
func (o *ownerState) pull(c *Conn, st *Stream, now time.Time) bool {
	limit := st.rlimit
	if c.State() == StateClosed {
		limit = int(^uint(0) >> 1)
	}
	for {
		avail := c.Readable()
		if avail == 0 {
			// Nothing buffered: Read reports io.EOF or the error that
			// ended the connection, if either.
			if _, err := c.Read(nil, now); err != nil {
				st.rerr = err
			}
			return false
		}
		room := limit - st.rbuf.len()
		if room <= 0 {
			return true
		}
		// Sized by what is there, so a buffer grows only as far as the
		// traffic needs.
		k, _ := c.Read(st.rbuf.tail(min(room, avail)), now)
		st.rbuf.commit(k)
		if k == 0 {
			return true
		}
	}
}

// collect queues what e's Conn wants sent.
func (o *ownerState) collect(e *entry) {
	o.dgrams = e.c.Outgoing(o.dgrams[:0])
	for _, d := range o.dgrams {
		o.out = append(o.out, outDatagram{b: d.B, to: e.key.addr})
		if len(d.B) >= HeaderSize && PacketType(d.B[0]>>4) != TypeSyn {
			e.ourSeq = binary.BigEndian.Uint16(d.B[16:])
			e.ackSent, e.acked = binary.BigEndian.Uint16(d.B[18:]), true
		}
	}
	clear(o.dgrams)
}

// remove takes a closed connection out of the table; its FIN or RESET is
// already queued.
func (o *ownerState) remove(e *entry) {
	delete(o.conns, e.key)
	if o.last == e {
		o.last = nil
	}
	o.unschedule(e)
	o.ended = addStats(o.ended, e.c.Stats())
	e.st.e = nil
}

// sendOut writes the queued datagrams. A full socket buffer blocks the
// write (the runtime waits for the socket to drain): the owner stalls, as
// libtorrent does on EWOULDBLOCK, and nothing is dropped.
func (o *ownerState) sendOut() {
	if len(o.out) == 0 {
		return
	}
	if o.s.bio != nil {
		o.s.bio.write(o.out, &o.n)
	} else {
		o.n.payloadOut += writeDatagrams(o.s.pc, o.out, &o.n.sendErrors)
	}
	clear(o.out)
	o.out = o.out[:0]
}

func (o *ownerState) handleTimers() {
	now := time.Now()
	o.timerAt = time.Time{}
	for len(o.timers) > 0 && !now.Before(o.timers[0].deadline) {
		e := o.timers[0]
		o.unschedule(e)
		e.c.Tick(now)
		o.touch(e)
	}
	o.armTimer()
}

// startDial opens an outgoing connection for st.
func (o *ownerState) startDial(st *Stream) {
	if len(o.conns) >= o.s.sc.MaxConns {
		st.fail(errTooManyConns)
		return
	}
	// The initiator's recv id is its send id less one; draw until that
	// key is free for this peer. 64 draws all colliding means the peer
	// holds a large share of the 65536 ids.
	var key connKey
	var sendID uint16
	for i := 0; ; i++ {
		if i == 64 {
			st.fail(errTooManyConns)
			return
		}
		sendID = randUint16(o.rng)
		key = connKey{st.remote, sendID - 1}
		if o.conns[key] == nil {
			break
		}
	}
	now := time.Now()
	c := NewInitiator(*o.s.connCfg.Load(), sendID, randUint16(o.rng), now)
	e := &entry{key: key, c: c, st: st, hidx: -1}
	o.conns[key] = e
	st.e = e
	o.touch(e)
}

// shutdown resets every connection, ends every Stream, PacketConn and
// listener view, closes the UDP socket and waits for the reader.
func (o *ownerState) shutdown() {
	s := o.s
	o.timer.Stop()
	now := time.Now()
	for _, e := range o.conns {
		if e.c.State() != StateClosed {
			o.sendReset(e.c.SendID(), e.ourSeq, e.peerSeq, e.key.addr, now)
		}
		e.st.mu.Lock()
		e.st.endLocked(net.ErrClosed)
		e.st.mu.Unlock()
		o.ended = addStats(o.ended, e.c.Stats())
		e.st.e = nil
	}
	clear(o.conns)
	o.last = nil
	s.pc.SetWriteDeadline(time.Now().Add(time.Second))
	o.sendOut()
	for _, v := range *s.claimers.Load() {
		v.Close()
	}
	s.mu.Lock()
	v := s.view
	s.mu.Unlock()
	if v != nil {
		v.Close()
	}
	s.pc.Close()
	<-s.readerDone
	s.final = o.stats()
}

// sendReset queues a RESET to addr for connection id: the answer to a
// packet for a connection we do not have, and what Close sends to live
// ones. A receiver checks a RESET's numbers like any packet's (ours
// drops one whose seq_nr is far ahead of what it received, or whose
// ack_nr acks what it never sent), so seqNr is near the last number we
// sent (for a stray packet: what it acks) and ackNr the peer's latest.
func (o *ownerState) sendReset(id, seqNr, ackNr uint16, to netip.AddrPort, now time.Time) {
	pk := Packet{Header: Header{Type: TypeReset, ConnID: id, TimestampMicros: micros(now),
		SeqNr: seqNr, AckNr: ackNr}}
	o.out = append(o.out, outDatagram{b: pk.AppendTo(make([]byte, 0, HeaderSize)), to: to})
	o.n.resetsOut++
}
