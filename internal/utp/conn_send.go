package utp

import "time"

type sendFlags uint8

const (
	// sendAck: a packet must go even if no data fits (it acks something).
	sendAck sendFlags = 1 << iota
	// sendFin: send our FIN.
	sendFin
	// sendWindowProbe: nothing is in flight and the peer's window is
	// closed; send one data packet anyway so its ACK reopens the window.
	sendWindowProbe
)

// closeReasonExtLen is the close_reason extension on the wire.
const closeReasonExtLen = 2 + closeReasonLen

// header is the header of the next packet we send.
func (c *Conn) header(typ PacketType, seq uint16, now time.Time) Header {
	c.lastWnd = c.recvWindow()
	return Header{
		Type:                typ,
		ConnID:              c.sendID,
		TimestampMicros:     micros(now),
		TimestampDiffMicros: c.delays.replyMicro,
		WndSize:             uint32(c.lastWnd),
		SeqNr:               seq,
		AckNr:               c.ackNr,
	}
}

// sackLen is the SACK we would send, in bytes, given room bytes for it:
// enough to cover everything in the reorder buffer, a multiple of 4.
func (c *Conn) sackLen(room int) int {
	if c.inbuf.count == 0 {
		return 0
	}
	bits := SeqDiff(c.inbuf.high, c.ackNr+2) + 1
	n := min(sackWireLen((bits+7)/8), room&^3)
	return max(n, 0)
}

// appendSACK gives pk an n-byte SACK of the reorder buffer, written into
// the Conn's scratch space (the packet is encoded before the next one).
func (c *Conn) appendSACK(pk *Packet, n int) {
	if n <= 0 {
		return
	}
	mask := c.sackBuf[:n]
	clear(mask)
	for i := range n * 8 {
		if c.inbuf.has(SACKSeq(c.ackNr, i)) {
			mask[i/8] |= 1 << (i % 8)
		}
	}
	pk.SACK = mask
}

func (c *Conn) closeExtLen() int {
	if c.closeReason != 0 {
		return closeReasonExtLen
	}
	return 0
}

// emit encodes pk followed by the payload pieces p1 and p2 into a pooled
// buffer, queues it, and notes that an ACK went out.
func (c *Conn) emit(pk *Packet, p1, p2 []byte, probe bool, now time.Time) int {
	if c.closeReason != 0 {
		pk.CloseReason, pk.HasCloseReason = c.closeReason, true
	}
	buf := getBuf(pk.EncodedLen() + len(p1) + len(p2))
	b := append(append(pk.AppendTo(*buf), p1...), p2...)
	*buf = b
	c.outBufs = append(c.outBufs, buf)
	c.out = append(c.out, Datagram{B: b, Probe: probe})
	c.stats.PacketsOut++
	c.lastSend = now
	if pk.Type != TypeSyn {
		c.deferredAck = false
		c.ackDue = time.Time{}
	}
	return len(b)
}

// transmit sends (or resends) a packet kept in outbuf. A resend refreshes
// ack_nr, the SACK and the timestamps, within the packet's first size so
// that it still fits the path.
func (c *Conn) transmit(p *outPacket, limit int, now time.Time) {
	var pk Packet
	if p.typ == TypeSyn {
		// The SYN is addressed to the id we expect replies on; its window
		// and ack_nr are 0 (libtorrent's send_syn).
		pk.Header = Header{Type: TypeSyn, ConnID: c.recvID, TimestampMicros: micros(now),
			TimestampDiffMicros: c.delays.replyMicro, SeqNr: p.seq}
	} else {
		pk.Header = c.header(p.typ, p.seq, now)
		c.appendSACK(&pk, c.sackLen(limit-HeaderSize-p.length-c.closeExtLen()-2))
	}
	p1, p2 := c.send.slices(p.off, p.length)
	n := c.emit(&pk, p1, p2, p.probe && p.transmissions == 0, now)
	if p.transmissions == 0 {
		p.size = n
	}
	p.transmissions++
	p.sentAt = now
}

// sendPkt sends at most one packet: first any packets marked for resend,
// then new data as the congestion and receive windows allow, or a bare ACK
// when flags say one is owed. It reports whether another call could send
// more data.
func (c *Conn) sendPkt(now time.Time, flags sendFlags) bool {
	if c.state == StateClosed {
		return false
	}
	force := flags&(sendAck|sendFin) != 0
	if c.numNeedResend > 0 {
		// Scan from where the last scan stopped, not from the oldest
		// unacked packet: after a timeout every call would otherwise walk
		// the whole window (libtorrent fixed the same after 2.0.8).
		s := c.resendNext
		if SeqLess(s, c.ackedSeq+1) {
			s = c.ackedSeq + 1
		}
		for ; s != c.seqNr; s++ {
			p := c.outbuf.at(s)
			if p == nil || !p.needResend {
				continue
			}
			if !c.resend(p, false, now) {
				c.resendNext = s
				if !force || c.state == StateClosed {
					return false
				}
				break
			}
			if c.fastResendSeq == s {
				c.fastResendSeq++
			}
		}
		if s == c.seqNr {
			c.resendNext = s
		}
	}

	// Ordinary packets use the size known to work; a probe tries the
	// midpoint of the search.
	probe := c.state == StateConnected && c.mtu.wantProbe(c.cc.window())
	eff := c.mtu.floor
	if probe {
		eff = c.mtu.mtu
	}
	sack := c.sackLen(eff - HeaderSize - 2 - c.closeExtLen())
	hdr := HeaderSize + c.closeExtLen()
	if sack > 0 {
		hdr += 2 + sack
	}
	finalizing := c.state == StateFinSent || flags&sendFin != 0
	payload := 0
	// An acceptor sends no data before the initiator has shown it got
	// our SYN-ACK: until then the initiator does not know our first
	// sequence number and could not place the data (nor is the address
	// proven not forged).
	if !finalizing && c.state != StateSynSent && c.confirmed {
		payload = min(c.queued(), eff-hdr)
	}
	if (c.bytesInFlight+payload > min(c.cc.window(), c.advWnd) &&
		!(flags&sendWindowProbe != 0 && c.bytesInFlight == 0)) ||
		(payload > 0 && int(c.seqNr-c.ackedSeq) > maxOutPackets) {
		payload = 0
		c.cwndFull = true
		if !force {
			return false
		}
	}
	if payload == 0 && !force {
		return false
	}
	full := payload == eff-hdr
	// Nagle: hold a partial packet while another partial one is unacked;
	// its ACK sends this one, by then larger.
	if payload > 0 && !full && !force && c.cfg.Nagle && c.bytesInFlight > 0 &&
		c.nagleActive && SeqLess(c.ackedSeq, c.nagleSeq) {
		return false
	}

	switch {
	case flags&sendFin != 0:
		// The FIN takes the next sequence number but, as in libtorrent,
		// does not advance seqNr: the peer acks it with ack_nr == seqNr.
		p := c.outbuf.insert(c.seqNr, c.ackedSeq+1)
		p.typ, p.off = TypeFin, c.sendNx
		if c.bytesInFlight == 0 {
			c.timeout = now.Add(c.packetTimeout())
		}
		c.transmit(p, eff, now)
	case payload == 0:
		pk := Packet{Header: c.header(TypeState, c.seqNr, now)}
		c.appendSACK(&pk, sack)
		c.emit(&pk, nil, nil, false, now)
	default:
		p := c.outbuf.insert(c.seqNr, c.ackedSeq+1)
		p.typ, p.off, p.length = TypeData, c.sendNx, payload
		c.sendNx += uint64(payload)
		if probe && full {
			p.probe = true
			c.mtu.probing, c.mtu.probeSeq = true, p.seq
		}
		if !full {
			c.nagleSeq, c.nagleActive = p.seq, true
		}
		if c.bytesInFlight == 0 {
			c.timeout = now.Add(c.packetTimeout())
		}
		c.seqNr++
		c.bytesInFlight += payload
		c.transmit(p, eff, now)
	}
	return c.queued() > 0 && !c.cwndFull
}

// resend sends p again if the window has room (a fast resend always goes:
// it replaces a packet the peer reported lost).
func (c *Conn) resend(p *outPacket, fast bool, now time.Time) bool {
	if c.state == StateClosed {
		return false
	}
	if c.mtu.probing && c.ackedSeq+1 == c.mtu.probeSeq {
		// The packet before everything else unacked is our probe: it was
		// most likely too big.
		if q := c.outbuf.at(c.mtu.probeSeq); q != nil {
			q.probe = false
			c.mtu.probeLost(q.size)
		} else {
			c.mtu.update()
		}
		c.cc.setMSS(c.mtu.mtu)
	}
	left := min(c.cc.window(), c.advWnd) - c.bytesInFlight
	if !fast && p.length > left && c.bytesInFlight > 0 {
		c.cwndFull = true
		return false
	}
	if p.needResend {
		p.needResend = false
		c.numNeedResend--
		c.bytesInFlight += p.length
	}
	c.stats.PacketResend++
	if fast {
		c.stats.FastRetransmit++
		p.freeResends++
		p.fastResent, p.resentBefore = true, c.seqNr
	} else {
		p.fastResent = false // a timeout's resend waits for the next timeout
	}
	c.transmit(p, p.size, now)
	return true
}

// fillWindow sends as much queued data as the windows allow.
func (c *Conn) fillWindow(now time.Time) {
	c.decayIdle(now)
	c.cwndFull = false
	for c.sendPkt(now, 0) {
	}
	if c.timeout.IsZero() && c.queued() > 0 && c.state == StateConnected {
		c.armTimer(now) // a closed window: probe it later
	}
}

// deferAck notes that we owe the peer an ACK; Flush (or, with
// Config.DelayedAck, the deadline) sends it unless data carries it first.
func (c *Conn) deferAck(now time.Time) {
	if !c.deferredAck && c.cfg.DelayedAck > 0 {
		c.ackDue = now.Add(c.cfg.DelayedAck)
	}
	c.deferredAck = true
}

// sendReset answers a packet for a connection that is gone.
func (c *Conn) sendReset(to Packet, now time.Time) {
	pk := Packet{Header: Header{Type: TypeReset, ConnID: c.sendID, TimestampMicros: micros(now),
		TimestampDiffMicros: c.delays.replyMicro, SeqNr: c.seqNr, AckNr: to.SeqNr}}
	c.emit(&pk, nil, nil, false, now)
}

// decayIdle applies to cwnd what libtorrent's timer does to an idle
// connection: each retransmission timeout that passes with nothing in
// flight and no packet received takes a third off cwnd (never below one
// packet) and restarts slow start, so data written after a pause does not
// go out as one burst of a window measured long ago. We have no timer
// running while idle; the decay is worked out when data waits to be sent.
func (c *Conn) decayIdle(now time.Time) {
	if c.state != StateConnected || c.outbuf.len() > 0 || c.queued() == 0 {
		return
	}
	from := c.lastRecv
	if c.decayedAt.After(from) {
		from = c.decayedAt
	}
	rto := c.rtt.timeout(c.cfg.MinTimeout, 0)
	n := int(now.Sub(from) / rto)
	if n == 0 {
		return
	}
	c.decayedAt = from.Add(time.Duration(n) * rto)
	for range min(n, maxIdleDecays) {
		c.cc.onTimeout(0, c.seqNr)
	}
}

// maxIdleDecays: after this many thirds off, any cwnd is one packet.
const maxIdleDecays = 64
