package utp

import (
	"encoding/binary"
	"net/netip"
	"time"
)

// looksUTP is libtorrent's first test of a datagram: version 1, a known
// type, at least a header.
func looksUTP(b []byte) bool {
	return len(b) >= HeaderSize && b[0]&0x0f == Version && PacketType(b[0]>>4) < numTypes
}

// handleReceived demultiplexes one batch from the reader. The ACKs it
// owes go out once, after the batch (flushTouched).
func (o *ownerState) handleReceived() {
	b := o.s.rx.take()
	if b == nil {
		return
	}
	now := time.Now()
	start := 0
	for i, end := range b.ends {
		o.demux(b.buf[start:end], b.from[i], now)
		start = end
	}
	o.s.rx.giveBack(b)
}

// demux routes one datagram, in libtorrent's order: a uTP packet for a
// connection we have or a SYN; else the first PacketConn that claims it;
// else a RESET when it is uTP, or a count when it is nothing we know.
func (o *ownerState) demux(b []byte, from netip.AddrPort, now time.Time) {
	if looksUTP(b) {
		typ := PacketType(b[0] >> 4)
		id := binary.BigEndian.Uint16(b[2:])
		if typ == TypeSyn {
			id++ // a SYN carries the initiator's recv id; we key by ours
		}
		if e := o.lookup(connKey{from, id}); e != nil {
			o.deliver(e, b, now)
			return
		}
		if typ == TypeSyn {
			o.n.packetsIn++
			o.acceptSyn(b, from, now)
			return
		}
	}
	for _, v := range *o.s.claimers.Load() {
		if v.claim(b) {
			v.enqueue(b, from)
			return
		}
	}
	if !looksUTP(b) {
		o.n.unclaimed++
		return
	}
	o.n.packetsIn++
	p, err := ParsePacket(b)
	if err != nil {
		o.n.invalidIn++
		return
	}
	if p.Type != TypeReset {
		o.sendReset(p.ConnID, p.AckNr, p.SeqNr, from, now)
	}
}

// lookup finds a connection by key. A read batch is mostly runs of
// packets for one connection, so the last one found is tried first: that
// skips hashing the key (an address and a port) for most packets.
func (o *ownerState) lookup(k connKey) *entry {
	if e := o.last; e != nil && e.key == k {
		return e
	}
	e := o.conns[k]
	if e != nil {
		o.last = e
	}
	return e
}

// deliver hands a packet to its connection.
func (o *ownerState) deliver(e *entry, b []byte, now time.Time) {
	o.n.packetsIn++
	p, err := ParsePacket(b)
	if err != nil {
		o.n.invalidIn++
		return
	}
	if p.Type == TypeData && len(p.Payload) > 0 {
		o.n.payloadIn++
		// Data we had already acked: the peer resent it needlessly (its
		// timer was early, or our ACK was lost).
		if e.acked && SeqLessEq(p.SeqNr, e.ackSent) {
			o.n.redundantIn++
		}
	}
	e.peerSeq = p.SeqNr
	e.c.Incoming(p, now)
	o.touch(e)
}

// acceptSyn answers a SYN for a connection we do not have yet: a RESET
// when incoming connections are off, nobody listens or the table is full;
// silence when the accept backlog is full (the peer resends its SYN, by
// when Accept may have caught up); else a new connection in the backlog.
func (o *ownerState) acceptSyn(b []byte, from netip.AddrPort, now time.Time) {
	p, err := ParsePacket(b)
	if err != nil {
		o.n.invalidIn++
		return
	}
	s := o.s
	if !s.acceptIncoming.Load() || len(o.conns) >= s.sc.MaxConns {
		o.sendReset(p.ConnID, p.AckNr, p.SeqNr, from, now)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.view
	if v == nil || v.isClosed() {
		o.sendReset(p.ConnID, p.AckNr, p.SeqNr, from, now)
		return
	}
	if len(v.ch) == cap(v.ch) {
		o.n.backlogFull++
		return
	}
	c := NewAcceptor(*s.connCfg.Load(), p, randUint16(o.rng), now)
	st := newStream(s, from)
	st.established = true
	close(st.connected)
	e := &entry{key: connKey{from, p.ConnID + 1}, c: c, st: st, hidx: -1, peerSeq: p.SeqNr}
	o.conns[e.key] = e
	st.e = e
	o.touch(e)
	v.ch <- st
}
