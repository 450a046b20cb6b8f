package utp

import (
	"io"
	"time"
)

// Writable is how many bytes Write would accept now.
func (c *Conn) Writable() int {
	if c.closing || c.state == StateFinSent || c.state == StateClosed {
		return 0
	}
	return max(c.cfg.SendBuffer-c.send.len(), 0)
}

// Write queues up to Writable() bytes of b (copied) and sends what the
// windows allow. Data written before the connection is established goes
// out once it is.
func (c *Conn) Write(b []byte, now time.Time) (int, error) {
	if c.closing || c.state == StateFinSent || c.state == StateClosed {
		if c.err != nil {
			return 0, c.err
		}
		return 0, ErrClosed
	}
	n := min(len(b), c.Writable())
	if n == 0 {
		return 0, nil
	}
	c.send.push(b[:n])
	if c.state == StateConnected {
		c.fillWindow(now)
	}
	return n, nil
}

// Readable is how many bytes Read would return now.
func (c *Conn) Readable() int { return c.recvQ.len() }

// Read moves received bytes into b. With nothing to read it returns 0 and
// nil while the connection is open, io.EOF once the peer closed cleanly,
// or the error that ended the connection. Reading reopens the receive
// window; when it had been closed, the peer hears at once.
func (c *Conn) Read(b []byte, now time.Time) (int, error) {
	if c.recvQ.len() == 0 {
		switch {
		case c.finGot || (c.state == StateClosed && c.err == nil):
			return 0, io.EOF
		case c.err != nil:
			return 0, c.err
		}
		return 0, nil
	}
	n := c.recvQ.read(b)
	// The peer's next packet may be as big as the MTU ceiling; once the
	// window we last advertised could not take one and now can, tell it.
	if c.state != StateClosed && c.lastWnd < c.cfg.MTUCeiling && c.recvWindow() >= c.cfg.MTUCeiling {
		c.sendPkt(now, sendAck)
	}
	return n, nil
}

// Close shuts the connection down cleanly: queued data is sent, then our
// FIN, carrying reason as libtorrent's close_reason extension (0 = none).
// A connection still waiting for its SYN's answer with nothing queued just
// ends.
func (c *Conn) Close(reason uint16, now time.Time) {
	if c.state == StateClosed {
		return
	}
	if reason != 0 {
		c.closeReason = reason
	}
	if c.state == StateSynSent && c.queued() == 0 {
		c.close(ErrClosed)
		return
	}
	// Queued data (even data written before the connection was
	// established) goes first.
	c.closing = true
	c.maybeSendFin(now)
}

// maybeSendFin sends our FIN once closing and every queued byte is sent.
func (c *Conn) maybeSendFin(now time.Time) {
	if c.closing && c.state == StateConnected && c.queued() == 0 {
		c.sendPkt(now, sendFin)
		c.state = StateFinSent
	}
}

// Flush is called when the caller has handed over every packet it read in
// one batch: an ACK owed for them goes out now, one for the whole batch
// (libtorrent's deferred ACK, sent when the socket is drained).
func (c *Conn) Flush(now time.Time) {
	if c.deferredAck && c.cfg.DelayedAck == 0 {
		c.sendPkt(now, sendAck)
	}
}

// Deadline is when Tick must next run (zero: nothing pending).
func (c *Conn) Deadline() time.Time {
	if c.state == StateClosed {
		return time.Time{}
	}
	d := c.timeout
	earliest := func(t time.Time) {
		if !t.IsZero() && (d.IsZero() || t.Before(d)) {
			d = t
		}
	}
	if c.deferredAck && c.cfg.DelayedAck > 0 {
		earliest(c.ackDue)
	}
	if c.state == StateConnected && c.cfg.KeepAlive > 0 {
		earliest(c.lastSend.Add(c.cfg.KeepAlive))
	}
	return d
}

// Tick runs the timers due at now: the delayed ACK, the retransmission
// timeout and the keep-alive.
func (c *Conn) Tick(now time.Time) {
	if c.state == StateClosed {
		return
	}
	if c.deferredAck && c.cfg.DelayedAck > 0 && !now.Before(c.ackDue) {
		c.sendPkt(now, sendAck)
	}
	if !c.timeout.IsZero() && !now.Before(c.timeout) {
		c.onTimeout(now)
		if c.state == StateClosed {
			return
		}
	}
	if c.state == StateConnected && c.cfg.KeepAlive > 0 && !now.Before(c.lastSend.Add(c.cfg.KeepAlive)) {
		c.sendPkt(now, sendAck)
		c.releaseIdle()
	}
}

// releaseIdle gives up the buffers of an idle connection (its rings grow
// to a window's worth while data moves): the keep-alive's quiet means
// nothing is in flight, and an empty ring regrows if traffic resumes.
func (c *Conn) releaseIdle() {
	if c.recvQ.len() == 0 {
		c.recvQ.reset()
	}
	if c.send.len() == 0 {
		c.send.reset()
	}
	if c.outbuf.len() == 0 {
		c.outbuf.pkts = nil
	}
	if c.inbuf.count == 0 {
		c.inbuf.slots = nil
	}
}
