package utp

import (
	"math"
	"time"
)

// Incoming handles one packet addressed to this connection (the caller has
// matched the remote address and connection id). Replies and data it
// releases show up in Outgoing; an ACK it owes is deferred to Flush. The
// Conn copies what it keeps of p, so the buffer p was parsed from may be
// reused as soon as Incoming returns.
func (c *Conn) Incoming(p Packet, now time.Time) {
	if p.Type == TypeSyn {
		if p.ConnID != c.sendID {
			return
		}
	} else if p.ConnID != c.recvID {
		return
	}
	if c.state == StateClosed {
		c.incomingClosed(p, now)
		return
	}
	if p.Type == TypeSyn {
		// Our SYN-ACK was lost and the initiator asks again.
		if p.SeqNr == c.synSeq() {
			c.sendPkt(now, sendAck)
		}
		return
	}
	if !c.plausible(p) {
		c.stats.Redundant++
		return
	}
	if p.Type == TypeReset {
		c.close(ErrReset)
		return
	}
	c.confirmed = true
	c.lastRecv = now
	haveSample := c.delays.observe(now, micros(now), p.TimestampMicros, p.TimestampDiffMicros)
	prevInFlight := c.bytesInFlight
	c.advWnd = int(p.WndSize)
	acked, minRTT := c.takeAcks(p, now)

	owesAck := false
	if c.state == StateSynSent {
		if p.AckNr != c.seqNr-1 {
			return
		}
		c.state = StateConnected
		// The acceptor's STATE carries the number it will use first. We
		// ack it even with nothing to send: the acceptor holds its data
		// until it hears from us.
		c.ackNr = p.SeqNr - 1
		owesAck = true
	}
	if haveSample && acked > 0 && prevInFlight > 0 {
		c.cc.onAck(acked, prevInFlight, c.bytesInFlight, c.delays.delay(minRTT))
	}
	c.ackedInFlight = 0

	switch p.Type {
	case TypeData:
		owesAck = true
		c.consume(p)
	case TypeFin:
		owesAck = true
		if !c.eof {
			c.eof, c.eofSeq = true, p.SeqNr
		}
		c.consumeFin()
	}

	if c.state == StateFinSent && c.ackedSeq == c.seqNr {
		// Our FIN is acked: the peer has everything we sent.
		if owesAck {
			c.sendPkt(now, sendAck)
		}
		c.close(nil)
		return
	}
	sentBefore := len(c.out)
	c.fillWindow(now)
	c.maybeSendFin(now)
	if owesAck && len(c.out) == sentBefore {
		c.deferAck(now)
	}
}

// plausible filters packets that cannot belong to this conversation: acks
// of what we never sent or of long before what is acked (junk or injected;
// nothing to learn from them), numbers past the peer's FIN, and packets too
// far ahead to fit the reorder buffer.
func (c *Conn) plausible(p Packet) bool {
	// Our FIN's number (and, for a RESET, the number a STATE of ours
	// carried) is one seqNr has not passed. libtorrent takes the former
	// only on a STATE or FIN and never the latter; we also take it on data
	// the peer was resending, and let a RESET answer any packet of ours.
	last := c.seqNr - 1
	if c.state == StateFinSent || p.Type == TypeReset {
		last = c.seqNr
	}
	if SeqLess(last, p.AckNr) || SeqLess(p.AckNr, c.ackedSeq-dupAckLimit) {
		return false
	}
	if c.eof && (SeqLess(c.eofSeq, p.SeqNr) || (p.SeqNr == c.eofSeq && p.Type == TypeData)) {
		return false
	}
	return c.state == StateSynSent || !SeqLess(c.ackNr+c.maxReorder(), p.SeqNr)
}

// takeAcks applies a packet's cumulative and selective acks, fast-resends
// what they show lost and rearms the retransmission timer. It returns the
// acked bytes that were in flight and the least RTT sample (0 without one).
func (c *Conn) takeAcks(p Packet, now time.Time) (int, time.Duration) {
	if p.AckNr == c.ackedSeq && c.outbuf.len() > 0 && p.Type == TypeState {
		c.duplicateAcks++
	}
	unacked := c.outbuf.len()
	minRTT := time.Duration(math.MaxInt64)
	if SeqLess(c.ackedSeq, p.AckNr) {
		for s := c.ackedSeq + 1; s != p.AckNr+1; s++ {
			if c.fastResendSeq == s {
				c.fastResendSeq++
			}
			if q := c.outbuf.at(s); q != nil {
				minRTT = min(minRTT, c.ackPacket(q, now))
			}
		}
		c.advanceAcked()
		if c.outbuf.len() == 0 {
			c.duplicateAcks = 0
		}
	}
	if p.SACK != nil {
		minRTT = min(minRTT, c.onSACK(p.AckNr, p.SACK, now))
	}
	if p.HasCloseReason {
		c.remoteReason, c.remoteHas = p.CloseReason, true
	}
	c.numTimeouts = 0
	reopened := c.advWnd >= c.mtu.floor && (c.persist > 0 || !c.shutSince.IsZero())
	if reopened {
		c.persist = 0
		c.shutSince = time.Time{}
	}
	// The timer restarts on progress only (RFC 6298; libtorrent restarts it
	// on every packet): a peer that keeps sending keep-alives, duplicate
	// ACKs or a shut window without acking anything must not hold off the
	// retransmission timeout or the window probe for ever.
	if c.outbuf.len() < unacked || reopened || c.timeout.IsZero() {
		c.armTimer(now)
	}

	if c.duplicateAcks >= dupAckLimit && c.ackedSeq+1 == c.fastResendSeq {
		if q := c.outbuf.at(c.fastResendSeq); q != nil {
			c.fastResendSeq++
			// A lost probe says the probe was too big, not that the path
			// is congested.
			if !q.probe && c.cc.onLoss(q.seq, c.seqNr, now) {
				c.stats.PacketLoss++
			}
			c.resend(q, true, now)
		}
	}
	if minRTT == time.Duration(math.MaxInt64) {
		minRTT = 0
	}
	// LEDBAT scales its gain by the share of the window acked, so it
	// counts only what was in flight. Packets a timeout had already taken
	// out of flight are acked too, and counting them (as libtorrent does)
	// lets one ACK after a timeout multiply cwnd.
	return c.ackedInFlight, minRTT
}

// armTimer restarts the retransmission timer after progress: it runs while
// packets are unacked, and while data waits on a closed receive window (to
// probe it, in case the update that reopens it is lost).
func (c *Conn) armTimer(now time.Time) {
	if c.outbuf.len() > 0 || (c.state == StateConnected && c.queued() > 0) {
		c.timeout = now.Add(min(c.packetTimeout()<<c.persist, maxTimeout))
	} else {
		c.timeout = time.Time{}
	}
}

// synSeq is the sequence number of the SYN this acceptor answered.
func (c *Conn) synSeq() uint16 { return c.ackNr }

// maxReorder: packets further ahead than this are dropped, not buffered.
// libtorrent allows receive buffer / 1100 packets, which a peer sending
// floor-sized (548-byte) packets into a full window overruns, so we allow
// as many packets as the window holds at the floor size. Memory is bounded
// by the receive buffer either way.
func (c *Conn) maxReorder() uint16 {
	return uint16(max(16, min(c.cfg.ReceiveBuffer/max(c.cfg.MTUFloor-HeaderSize, 1), 0x7fff)))
}

// incomingClosed answers packets that arrive after the connection ended.
// After a clean close the peer may still have data and its FIN on the way
// (or our ACK of them was lost): they are acked and discarded, so the peer
// closes cleanly too. After an error, anything but a RESET gets a RESET.
func (c *Conn) incomingClosed(p Packet, now time.Time) {
	if p.HasCloseReason {
		c.remoteReason, c.remoteHas = p.CloseReason, true
	}
	switch {
	case p.Type == TypeReset:
	case c.err == nil && (p.Type == TypeData || p.Type == TypeFin):
		if p.SeqNr == c.ackNr+1 {
			c.ackNr = p.SeqNr
		}
		pk := Packet{Header: c.header(TypeState, c.seqNr, now)}
		c.emit(&pk, nil, nil, false, now)
	case c.err == nil:
		// A late ACK after a clean close is harmless.
	default:
		c.sendReset(p, now)
	}
}

// ackPacket removes an acked packet and returns its RTT sample (0 when it
// was sent more than once: Karn's rule, which libtorrent does not apply).
func (c *Conn) ackPacket(p *outPacket, now time.Time) time.Duration {
	c.outbuf.remove(p)
	if p.needResend {
		p.needResend = false
		c.numNeedResend--
	} else {
		c.bytesInFlight -= p.length
		c.ackedInFlight += p.length
	}
	if p.probe && c.mtu.probing && p.seq == c.mtu.probeSeq {
		c.mtu.probeAcked(p.size)
		c.cc.setMSS(c.mtu.mtu)
	}
	if p.transmissions != 1 {
		return time.Duration(math.MaxInt64)
	}
	rtt := now.Sub(p.sentAt)
	c.rtt.add(rtt)
	return rtt
}

// advanceAcked moves ackedSeq over every packet no longer in outbuf (acked
// cumulatively or selectively). In fin-sent it may reach seqNr, the FIN.
func (c *Conn) advanceAcked() {
	limit := c.seqNr
	if c.state == StateFinSent {
		limit++
	}
	moved := false
	for c.ackedSeq+1 != limit && c.outbuf.at(c.ackedSeq+1) == nil {
		c.ackedSeq++
		moved = true
	}
	if !moved {
		return
	}
	// The send ring keeps payloads from the oldest unacked packet on.
	if q := c.outbuf.at(c.ackedSeq + 1); q != nil {
		c.send.releaseTo(q.off)
	} else {
		c.send.releaseTo(c.sendNx)
	}
	if SeqLess(c.fastResendSeq, c.ackedSeq+1) {
		c.fastResendSeq = c.ackedSeq + 1
	}
	c.cc.onAckedTo(c.ackedSeq)
	c.duplicateAcks = 0
}
