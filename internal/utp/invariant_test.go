package utp

import "fmt"

// invariantErr checks the bookkeeping a Conn keeps incrementally against
// what it stores; the simulator runs it after every event.
func (c *Conn) invariantErr() error {
	inFlight, unacked, needResend := 0, 0, 0
	for s, p := range c.outbuf {
		if s != p.seq {
			return fmt.Errorf("outbuf[%d] holds seq %d", s, p.seq)
		}
		if !SeqLess(c.ackedSeq, s) {
			return fmt.Errorf("seq %d in outbuf at or before acked %d", s, c.ackedSeq)
		}
		if SeqLess(c.seqNr, s) || (s == c.seqNr && p.typ != TypeFin) {
			return fmt.Errorf("%v seq %d in outbuf at or past next seq %d", p.typ, s, c.seqNr)
		}
		unacked += len(p.payload)
		if p.needResend {
			needResend++
		} else {
			inFlight += len(p.payload)
		}
	}
	if inFlight != c.bytesInFlight || unacked != c.unacked || needResend != c.numNeedResend {
		return fmt.Errorf("in flight %d (counted %d), unacked %d (%d), need resend %d (%d)",
			inFlight, c.bytesInFlight, unacked, c.unacked, needResend, c.numNeedResend)
	}
	if c.state != StateClosed && len(c.outbuf) > 0 && c.outbuf[c.ackedSeq+1] == nil {
		return fmt.Errorf("acked %d but %d is not in outbuf", c.ackedSeq, c.ackedSeq+1)
	}
	buffered := 0
	for s, b := range c.inbuf {
		if !SeqLess(c.ackNr+1, s) || SeqLess(c.inbufHigh, s) {
			return fmt.Errorf("inbuf holds %d with ack %d, high %d", s, c.ackNr, c.inbufHigh)
		}
		buffered += len(b)
	}
	if buffered != c.inbufBytes {
		return fmt.Errorf("inbuf holds %d bytes, counted %d", buffered, c.inbufBytes)
	}
	if c.recvQ.len()+c.inbufBytes > c.cfg.ReceiveBuffer {
		return fmt.Errorf("buffered %d past the %d receive buffer", c.recvQ.len()+c.inbufBytes, c.cfg.ReceiveBuffer)
	}
	if c.cc.window() < c.mtu.mtu && c.cc.window() < c.cc.mss {
		return fmt.Errorf("cwnd %d below one packet (%d)", c.cc.window(), c.cc.mss)
	}
	if c.mtu.floor > c.mtu.ceiling || c.mtu.mtu < c.mtu.floor || c.mtu.mtu > c.mtu.ceiling {
		return fmt.Errorf("mtu search floor %d mtu %d ceiling %d", c.mtu.floor, c.mtu.mtu, c.mtu.ceiling)
	}
	return nil
}
