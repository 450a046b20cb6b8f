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
	if c.recvQ.len()+c.inbuf.bytes+n > c.cfg.ReceiveBuffer {
		c.stats.RecvWindowDrops++
		return
	}
	if p.SeqNr == c.ackNr+1 {
		c.recvQ.push(p.Payload)
		c.ackNr++
		for {
			b := c.inbuf.take(c.ackNr + 1)
			if b == nil {
				break
			}
			c.recvQ.push(*b)
			putBuf(b)
			c.ackNr++
		}
		c.consumeFin()
		return
	}
	if !SeqLess(c.ackNr, p.SeqNr) || !c.inbuf.put(p.SeqNr, c.ackNr+2, p.Payload) {
		// A duplicate of something delivered or held; the ACK we owe
		// answers it.
		c.stats.Redundant++
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
	// Whatever is still held claimed to come after the FIN: junk.
	c.inbuf.clear()
	if c.state == StateConnected {
		c.closing = true
		c.send.truncate(c.sendNx)
	}
}
