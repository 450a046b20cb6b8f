// Package ratelimit is the bandwidth manager and the peer classes, as plain
// values: token-bucket channels, a manager that queues requests for bytes and
// shares each channel's quota among them by priority, libtorrent's peer
// classes (global, tcp, local and user-created ones), the peer-class type
// filter, the default IP ranges of the class filter, and the estimate of
// TCP/IP header bytes that rate_limit_ip_overhead charges.
//
// Nothing here starts a goroutine or takes a lock: time comes in as a
// parameter and grants come back as return values. The caller (the gate in
// package actors) serialises every call, except Channel.Limit and
// AllUnlimited, which are safe to call concurrently so that an unlimited
// peer can skip the gate without a lock.
//
// The semantics follow libtorrent's bandwidth_manager, bandwidth_channel,
// bw_request and peer_class (src/bandwidth_*.cpp, src/peer_class.cpp,
// session_impl.cpp) with the differences named where they are made.
package ratelimit
