// Package utp is our uTP (BEP 29 + LEDBAT), interoperable with libtorrent
// 2.0.8. This file set holds the pure parts: the packet codec, sequence
// arithmetic, the LEDBAT congestion controller, the RTT estimator and the
// per-connection state machine. None of them reads a clock or starts a
// goroutine: time comes in as a parameter and decisions (packets to send,
// the next deadline) come back as values, so everything is tested in
// virtual time.
//
// Buffers: a Conn copies what it keeps of a received packet and of a Write,
// and encodes outgoing datagrams into pooled buffers that it takes back on
// its next Outgoing call, so a busy connection allocates nothing per packet
// (see Datagram for the rule the caller follows).
package utp
