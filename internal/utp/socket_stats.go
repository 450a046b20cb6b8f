package utp

// SocketStats is libtorrent's utp_status for one socket: gauges of the
// connections by state, and counters summed over live and closed
// connections.
type SocketStats struct {
	NumIdle      int // accepted, waiting in the backlog for Accept
	NumSynSent   int // dialled, waiting for the SYN's answer
	NumConnected int // open both ways (backlog excluded)
	NumFinSent   int // closed by us, FIN not yet acked
	NumCloseWait int // ended, not yet closed by the application

	PacketLoss     uint64
	Timeout        uint64
	PacketsIn      uint64 // uTP packets received
	PacketsOut     uint64 // uTP packets sent, RESETs included
	FastRetransmit uint64
	PacketResend   uint64
	// SamplesAboveTarget and SamplesBelowTarget count LEDBAT's delay
	// samples against the target. Only the Conn sees them and Conn.Stats
	// does not report them yet: they stay zero until it does.
	SamplesAboveTarget uint64
	SamplesBelowTarget uint64
	PayloadPktsIn      uint64 // DATA packets with payload received
	PayloadPktsOut     uint64 // DATA packets sent
	InvalidPktsIn      uint64 // uTP-looking packets that failed to parse
	RedundantPktsIn    uint64 // DATA packets already acked when they came

	KernelDrops     uint64 // datagrams the kernel dropped for want of buffer (SO_RXQ_OVFL)
	Unclaimed       uint64 // datagrams neither uTP nor claimed by a PacketConn, dropped
	PacketConnDrops uint64 // claimed datagrams dropped because the PacketConn's queue was full
	BacklogFull     uint64 // SYNs ignored because the accept backlog was full
	SendErrors      uint64 // datagrams the kernel refused
}

// Stats returns the socket's status; safe from any goroutine.
func (s *Socket) Stats() SocketStats {
	ch := make(chan SocketStats, 1)
	select {
	case s.statsReq <- ch:
		return <-ch
	case <-s.done:
		return s.final
	}
}

func addStats(a, b Stats) Stats {
	a.PacketsOut += b.PacketsOut
	a.PacketResend += b.PacketResend
	a.FastRetransmit += b.FastRetransmit
	a.PacketLoss += b.PacketLoss
	a.Timeouts += b.Timeouts
	return a
}

// stats builds the status in the owner.
func (o *ownerState) stats() SocketStats {
	var st SocketStats
	sum := o.ended
	for _, e := range o.conns {
		sum = addStats(sum, e.c.Stats())
		switch e.c.State() {
		case StateSynSent:
			st.NumSynSent++
		case StateConnected:
			st.NumConnected++
		case StateFinSent:
			st.NumFinSent++
		}
	}
	o.s.mu.Lock()
	if v := o.s.view; v != nil {
		st.NumIdle = len(v.ch)
	}
	o.s.mu.Unlock()
	st.NumConnected = max(st.NumConnected-st.NumIdle, 0)
	st.NumCloseWait = int(o.s.closeWait.Load())
	st.PacketLoss = uint64(sum.PacketLoss)
	st.Timeout = uint64(sum.Timeouts)
	st.PacketsOut = uint64(sum.PacketsOut) + o.n.resetsOut
	st.FastRetransmit = uint64(sum.FastRetransmit)
	st.PacketResend = uint64(sum.PacketResend)
	st.PacketsIn = o.n.packetsIn
	st.PayloadPktsIn = o.n.payloadIn
	st.PayloadPktsOut = o.n.payloadOut
	st.InvalidPktsIn = o.n.invalidIn
	st.RedundantPktsIn = o.n.redundantIn
	st.KernelDrops = o.s.kernelDrops.Load()
	st.Unclaimed = o.n.unclaimed
	st.PacketConnDrops = o.s.vpcDrops.Load()
	st.BacklogFull = o.n.backlogFull
	st.SendErrors = o.n.sendErrors
	return st
}
