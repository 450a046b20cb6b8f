package utp

import (
	"math"
	"time"
)

// maxSACKResends bounds the fast resends one SACK triggers (libtorrent: 5).
const maxSACKResends = 5

// onSACK applies a selective ACK after ackNr: it removes the packets it
// acknowledges, and fast-resends holes that are followed by more than
// dupAckLimit acknowledged packets (libtorrent's parse_sack). It returns
// the least RTT sample.
func (c *Conn) onSACK(ackNr uint16, mask []byte, now time.Time) time.Duration {
	if len(mask) == 0 {
		return time.Duration(math.MaxInt64)
	}
	var resend [maxSACKResends]uint16
	n := 0
	// ackNr+1 is missing, or the cumulative ack would have passed it.
	if !SeqLess(ackNr+1, c.fastResendSeq) {
		resend[n] = ackNr + 1
		n++
	}
	minRTT := time.Duration(math.MaxInt64)
	bits := len(mask) * 8
	for i := 0; i < bits; i++ {
		s := SACKSeq(ackNr, i)
		if s == c.seqNr {
			break // we never sent this far; later bits mean nothing
		}
		if mask[i/8]&(1<<(i%8)) != 0 {
			if q := c.outbuf.at(s); q != nil {
				minRTT = min(minRTT, c.ackPacket(q, now))
			}
		} else if !SeqLess(s, c.fastResendSeq) && n < len(resend) {
			resend[n] = s
			n++
		}
	}
	c.advanceAcked()
	if c.outbuf.len() == 0 {
		c.duplicateAcks = 0
	}

	// Only holes followed by more than dupAckLimit acked packets count as
	// lost: find the sequence number of the (dupAckLimit+1)-th acked
	// packet from the end; holes before it are resent.
	dups := 0
	lastResend := SACKSeq(ackNr, bits-1)
	for i := bits - 1; i >= 0; i-- {
		if mask[i/8]&(1<<(i%8)) != 0 {
			dups++
		}
		if dups > dupAckLimit {
			break
		}
		lastResend--
	}
	if dups <= dupAckLimit {
		return minRTT
	}
	for n > 0 && !SeqLess(resend[n-1], lastResend) {
		n--
	}
	c.resendLostResends(ackNr, mask, now)
	cut := true
	for _, s := range resend[:n] {
		q := c.outbuf.at(s)
		if q == nil {
			continue
		}
		// One cut per SACK, and none for a lost probe (its loss is about
		// size, which resend handles).
		if cut && !q.probe {
			if c.cc.onLoss(s, c.seqNr, now) {
				c.stats.PacketLoss++
			}
			cut = false
		}
		if c.resend(q, true, now) {
			c.duplicateAcks = 0
			c.fastResendSeq = s + 1
		}
	}
	return minRTT
}

// resendLostResends finds fast resends that were lost as well, which
// libtorrent leaves to the retransmission timeout (a stall of at least
// utp_min_timeout and cwnd down to one packet): a hole already fast-resent
// while more than dupAckLimit packets sent after that resend are
// selectively acked. The resend goes again, at most utp_num_resends times
// per packet; cwnd is not cut again, as the first resend of this loss
// episode already cut it.
func (c *Conn) resendLostResends(ackNr uint16, mask []byte, now time.Time) {
	bits := len(mask) * 8
	sent := 0
	for i := -1; i < bits && sent < maxSACKResends; i++ {
		s := ackNr + 1 + uint16(i+1)
		if !SeqLess(s, c.fastResendSeq) || s == c.seqNr {
			return // later holes have not been fast-resent yet
		}
		if i >= 0 && mask[i/8]&(1<<(i%8)) != 0 {
			continue
		}
		q := c.outbuf.at(s)
		if q == nil || !q.fastResent || q.reresends >= c.cfg.NumResends ||
			sackedFrom(ackNr, mask, q.resentBefore) <= dupAckLimit {
			continue
		}
		q.reresends++
		if c.resend(q, true, now) {
			sent++
		}
	}
}

// sackedFrom counts the packets from seq on that the SACK acknowledges,
// stopping once there are more than dupAckLimit.
func sackedFrom(ackNr uint16, mask []byte, seq uint16) int {
	n := 0
	for i := len(mask)*8 - 1; i >= 0 && n <= dupAckLimit; i-- {
		s := SACKSeq(ackNr, i)
		if SeqLess(s, seq) {
			break
		}
		if mask[i/8]&(1<<(i%8)) != 0 {
			n++
		}
	}
	return n
}
