package utp

// consume takes a DATA packet's payload: in order into the read queue
// (with whatever the reorder buffer then releases), out of order into the
// reorder buffer. Packets beyond the receive window are dropped, though
// still acked, and the sender will resend them.
func (c *Conn) consume(p Packet) {
	if c.finGot {
		return // everything up to the FIN is here; this is a stray
	}
	n := len(p.Payload)
	if c.recvQ.len()+c.inbufBytes+n > c.cfg.ReceiveBuffer {
		return
	}
	if p.SeqNr == c.ackNr+1 {
		c.recvQ.push(clone(p.Payload))
		c.ackNr++
		for {
			b, ok := c.inbuf[c.ackNr+1]
			if !ok {
				break
			}
			delete(c.inbuf, c.ackNr+1)
			c.inbufBytes -= len(b)
			c.recvQ.push(b)
			c.ackNr++
		}
		c.consumeFin()
		return
	}
	if !SeqLess(c.ackNr, p.SeqNr) {
		return // a duplicate of something delivered; the ACK we owe answers it
	}
	if _, dup := c.inbuf[p.SeqNr]; dup {
		return
	}
	c.inbuf[p.SeqNr] = clone(p.Payload)
	c.inbufBytes += n
	if len(c.inbuf) == 1 || SeqLess(c.inbufHigh, p.SeqNr) {
		c.inbufHigh = p.SeqNr
	}
}

// consumeFin takes the peer's FIN once everything before it has arrived.
// The peer is done: what we have not sent yet it will not read, so we
// answer with our own FIN (libtorrent does the same), keeping only the
// resends of data already sent.
func (c *Conn) consumeFin() {
	if !c.eof || c.finGot || c.ackNr+1 != c.eofSeq {
		return
	}
	c.ackNr = c.eofSeq
	c.finGot = true
	if c.state == StateConnected {
		c.closing = true
		c.sendQ = byteQueue{}
	}
}

func clone(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}
