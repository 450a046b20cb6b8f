package utp

import "fmt"

// invariantErr checks the bookkeeping a Conn keeps incrementally against
// what it stores; the simulator runs it after every event.
func (c *Conn) invariantErr() error {
	inFlight, needResend, count := 0, 0, 0
	var front *outPacket
	for i := range c.outbuf.pkts {
		p := &c.outbuf.pkts[i]
		if !p.used {
			continue
		}
		s := p.seq
		count++
		if int(s)&(len(c.outbuf.pkts)-1) != i {
			return fmt.Errorf("outbuf slot %d holds seq %d", i, s)
		}
		if !SeqLess(c.ackedSeq, s) {
			return fmt.Errorf("seq %d in outbuf at or before acked %d", s, c.ackedSeq)
		}
		if SeqLess(c.seqNr, s) || (s == c.seqNr && p.typ != TypeFin) {
			return fmt.Errorf("%v seq %d in outbuf at or past next seq %d", p.typ, s, c.seqNr)
		}
		if p.off < c.send.start || p.off+uint64(p.length) > c.sendNx {
			return fmt.Errorf("seq %d holds bytes %d..%d outside the sent part %d..%d of the send ring",
				s, p.off, p.off+uint64(p.length), c.send.start, c.sendNx)
		}
		if front == nil || SeqLess(s, front.seq) {
			front = p
		}
		if p.needResend {
			needResend++
			if p.typ != TypeFin && SeqLess(s, c.resendNext) {
				return fmt.Errorf("seq %d needs resending, before the resend scan's start %d", s, c.resendNext)
			}
		} else {
			inFlight += p.length
		}
	}
	if count != c.outbuf.len() {
		return fmt.Errorf("outbuf holds %d packets, counted %d", count, c.outbuf.len())
	}
	if inFlight != c.bytesInFlight || needResend != c.numNeedResend {
		return fmt.Errorf("in flight %d (counted %d), need resend %d (%d)",
			inFlight, c.bytesInFlight, needResend, c.numNeedResend)
	}
	if c.state != StateClosed && c.outbuf.len() > 0 && c.outbuf.at(c.ackedSeq+1) == nil {
		return fmt.Errorf("acked %d but %d is not in outbuf", c.ackedSeq, c.ackedSeq+1)
	}
	if c.state != StateClosed && front != nil && front.off != c.send.start {
		return fmt.Errorf("send ring starts at %d, the oldest unacked packet's payload at %d", c.send.start, front.off)
	}
	if c.sendNx < c.send.start || c.sendNx > c.send.end || c.send.len() > len(c.send.buf) {
		return fmt.Errorf("send ring %d..%d (cap %d), next to send %d", c.send.start, c.send.end, len(c.send.buf), c.sendNx)
	}
	buffered, held := 0, 0
	var err error
	c.inbuf.each(func(s uint16, b []byte) {
		if !SeqLess(c.ackNr+1, s) || SeqLess(c.inbuf.high, s) {
			err = fmt.Errorf("inbuf holds %d with ack %d, high %d", s, c.ackNr, c.inbuf.high)
		}
		if !c.inbuf.has(s) {
			err = fmt.Errorf("inbuf holds %d where has does not find it", s)
		}
		buffered += len(b)
		held++
	})
	if err != nil {
		return err
	}
	if buffered != c.inbuf.bytes || held != c.inbuf.count {
		return fmt.Errorf("inbuf holds %d bytes in %d packets, counted %d in %d", buffered, held, c.inbuf.bytes, c.inbuf.count)
	}
	if c.recvQ.len()+c.inbuf.bytes > c.cfg.ReceiveBuffer {
		return fmt.Errorf("buffered %d past the %d receive buffer", c.recvQ.len()+c.inbuf.bytes, c.cfg.ReceiveBuffer)
	}
	if c.cc.window() < c.mtu.mtu && c.cc.window() < c.cc.mss {
		return fmt.Errorf("cwnd %d below one packet (%d)", c.cc.window(), c.cc.mss)
	}
	if c.mtu.floor > c.mtu.ceiling || c.mtu.mtu < c.mtu.floor || c.mtu.mtu > c.mtu.ceiling {
		return fmt.Errorf("mtu search floor %d mtu %d ceiling %d", c.mtu.floor, c.mtu.mtu, c.mtu.ceiling)
	}
	return nil
}
