package utp

// Stats counts what a connection did, named after libtorrent's session
// counters (utp_packets_out, utp_packet_resend, utp_fast_retransmit,
// utp_packet_loss, utp_timeout, utp_redundant_pkts_in) so the engine can
// sum them.
type Stats struct {
	PacketsOut     int // datagrams sent, resends included
	PacketResend   int // packets sent again (timeout or fast resend)
	FastRetransmit int // resends triggered by duplicate or selective ACKs
	PacketLoss     int // losses that cut cwnd
	Timeouts       int // retransmission timeouts
	// Redundant counts packets that told us nothing: duplicates of data
	// we hold or delivered, and packets outside the window (acking what
	// was never sent, or too far ahead) that were dropped unread.
	Redundant int
	// RecvWindowDrops counts data packets dropped because the receive
	// buffer had no room for them (a peer ignoring our window).
	RecvWindowDrops int
}

// Stats returns the connection's counters.
func (c *Conn) Stats() Stats { return c.stats }
