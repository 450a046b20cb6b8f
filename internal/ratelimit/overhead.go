package ratelimit

// TCP/IP header sizes as libtorrent counts them: a 20-byte TCP header on a
// 20-byte IPv4 or 40-byte IPv6 header, in 1500-byte packets.
const (
	tcpHeader  = 20
	ipv4Header = 20
	ipv6Header = 40
	mtu        = 1500
)

// IPOverhead estimates the TCP/IP header bytes of one socket read or write
// of n payload bytes, as libtorrent's trancieve_ip_packet: one header per
// full-size packet the bytes need (at least one), where a header is 40 bytes
// over IPv4 and 60 over IPv6. libtorrent adds the estimate to both
// directions (the packets one way, their ACKs the other), so with
// rate_limit_ip_overhead the caller charges it (Channel.Use) to the peer's
// upload and download channels alike.
func IPOverhead(n int64, ipv6 bool) int64 {
	header := int64(tcpHeader + ipv4Header)
	if ipv6 {
		header = tcpHeader + ipv6Header
	}
	payload := mtu - header
	packets := max(1, (max(n, 0)+payload-1)/payload)
	return packets * header
}

// SYNOverhead is what libtorrent counts for a TCP handshake packet (SYN, or
// SYN-ACK and its ACK): 40 bytes over IPv4, 60 over IPv6. It charges it to
// upload for a SYN sent, and to both directions for a SYN-ACK received.
func SYNOverhead(ipv6 bool) int64 {
	if ipv6 {
		return tcpHeader + ipv6Header
	}
	return tcpHeader + ipv4Header
}
