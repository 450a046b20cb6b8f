package ratelimit

// MixedModeLowerLimit is the least the tcp class is throttled to under
// peer_proportional, by direction (libtorrent's "never throttle below
// this": 5000 B/s up, 30000 B/s down).
var MixedModeLowerLimit = [2]int64{Upload: 5000, Download: 30000}

// MixedModeTCPLimit is libtorrent's mixed_mode_algorithm peer_proportional
// rule for one direction, applied each second to the tcp peer class: with
// no uTP peer moving data that way, TCP is not throttled (0); otherwise
// TCP gets the session's current rate in proportion to its share of the
// peers moving data (counting at least one TCP peer), never less than
// lower.
func MixedModeTCPLimit(rate, tcpPeers, utpPeers, lower int64) int64 {
	if utpPeers <= 0 {
		return 0
	}
	tcpPeers = max(tcpPeers, 1)
	return max(rate*tcpPeers/(tcpPeers+utpPeers), lower)
}
