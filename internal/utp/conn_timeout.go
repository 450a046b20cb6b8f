package utp

import "time"

// onTimeout is the retransmission timeout: the oldest unacked packet goes
// again, everything else in flight is marked for resending, cwnd falls to
// one packet, and the connection gives up after utp_num_resends (SYN:
// utp_syn_resends, FIN: utp_fin_resends) transmissions of one packet.
func (c *Conn) onTimeout(now time.Time) {
	if c.state == StateConnected && c.advWnd < c.mtu.floor {
		c.probeWindow(now)
		return
	}
	ignoreLoss := false
	if c.mtu.probing && c.ackedSeq+1 == c.mtu.probeSeq && c.seqNr-1 == c.mtu.probeSeq {
		// Only the probe is out: it was too big, not lost to congestion.
		c.mtu.probeLost(c.mtu.mtu)
		c.cc.setMSS(c.mtu.mtu)
		ignoreLoss = true
	}
	if c.outbuf.len() > 0 && !ignoreLoss {
		c.numTimeouts++
		c.stats.Timeouts++
	}
	// An acceptor that never heard from the peer beyond its SYN may be
	// answering a forged address: give up at the first timeout.
	if c.numTimeouts > c.cfg.NumResends || (c.numTimeouts > 0 && !c.confirmed && c.state != StateSynSent) {
		c.close(ErrTimedOut)
		return
	}
	if !ignoreLoss {
		c.cc.onTimeout(c.bytesInFlight, c.seqNr)
	}
	c.mtu.probing = false
	c.resendNext = c.ackedSeq + 1
	for s := c.ackedSeq + 1; s != c.seqNr+1; s++ {
		if p := c.outbuf.at(s); p != nil && !p.needResend {
			p.needResend = true
			p.probe = false
			c.numNeedResend++
			c.bytesInFlight -= p.length
		}
	}
	c.timeout = now.Add(c.packetTimeout())

	p := c.outbuf.at(c.ackedSeq + 1)
	switch {
	case p != nil:
		// The settings count retransmissions: a packet goes out at most
		// 1+N times on timeouts. Unlike libtorrent we leave fast resends
		// out of the count: they answer ACKs, which prove the peer alive,
		// and counting them made 10%-loss links drop live connections.
		limit := c.cfg.NumResends + 1
		switch p.typ {
		case TypeSyn:
			limit = c.cfg.SynResends + 1
		case TypeFin:
			limit = c.cfg.FinResends + 1
		}
		if p.transmissions-p.freeResends >= limit {
			if p.typ == TypeFin && c.finGot && c.ackedSeq+1 == c.seqNr {
				// Only our FIN's ACK is missing, and the peer has closed
				// too: it acked all our data, nothing was lost.
				c.close(nil)
				return
			}
			c.close(ErrTimedOut)
			return
		}
		if c.fastResendSeq == p.seq {
			c.fastResendSeq++
		}
		c.resend(p, false, now)
	case c.state == StateConnected && c.queued() > 0:
		// Nothing in flight yet data waits: the peer's window is shut.
		// Probe it with one packet; its ACK tells the window.
		c.sendPkt(now, sendWindowProbe)
	case c.state == StateConnected:
		c.timeout = time.Time{}
	}
}

// maxPersistShift caps the window-probe backoff at 2^7 RTOs (60 s anyway).
const maxPersistShift = 7

// probeWindow runs instead of a timeout while the peer's window is shut:
// what timed out is our probe of the window (or the wait for one), not a
// lost packet, so cwnd stays. One packet goes through the shut window (the
// peer drops its data but answers with its window), and the probes back
// off, as TCP's persist timer does. A peer that stops answering still ends
// the connection after utp_num_resends silent probes, and one that answers
// with its window still shut ends it after Config.ZeroWindowTimeout.
func (c *Conn) probeWindow(now time.Time) {
	c.numTimeouts++
	if c.numTimeouts > c.cfg.NumResends {
		c.close(ErrTimedOut)
		return
	}
	if c.shutSince.IsZero() {
		c.shutSince = now
	}
	if c.cfg.ZeroWindowTimeout > 0 && now.Sub(c.shutSince) >= c.cfg.ZeroWindowTimeout {
		c.close(ErrTimedOut)
		return
	}
	c.persist = min(c.persist+1, maxPersistShift)
	c.timeout = now.Add(min(c.packetTimeout()<<c.persist, maxTimeout))
	if p := c.outbuf.at(c.ackedSeq + 1); p != nil {
		if p.needResend {
			p.needResend = false
			c.numNeedResend--
			c.bytesInFlight += p.length
		}
		c.stats.PacketResend++
		p.freeResends++
		c.transmit(p, p.size, now)
		return
	}
	c.sendPkt(now, sendWindowProbe)
}
