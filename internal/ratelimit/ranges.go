package ratelimit

import "net/netip"

// ClassRange maps the addresses First..Last (inclusive) to a class mask.
type ClassRange struct {
	First, Last netip.Addr
	Mask        uint32
}

// DefaultClassRanges is the session's default peer-class filter, in
// libtorrent's order (init_peer_class_filter): load them one after the
// other into an IP range map where a later range overrides the earlier
// ones it overlaps. Every address is in the global class; with
// unlimitedLocal, addresses of local networks, link-local and loopback are
// in the local class only, so the global limits do not apply to them. That
// is libtorrent's default, and why a rate-limited libtorrent does not limit
// peers on 127.0.0.1 until the filter maps everything to global.
//
// The ranges are libtorrent's, including IPv6 unique local addresses
// (fc00::/7). One differs on purpose: libtorrent writes the end of
// link-local fe80::/10 as "febf::ffff:ffff:ffff:ffff:ffff:ffff:ffff", which
// has nine groups; inet_pton rejects it and libtorrent skips the rule, so in
// libtorrent link-local IPv6 peers stay in the global class. The range here
// is the whole fe80::/10 the rule means.
func DefaultClassRanges(unlimitedLocal bool) []ClassRange {
	global, local := Mask(GlobalClass), Mask(LocalClass)
	r := func(first, last string, mask uint32) ClassRange {
		return ClassRange{netip.MustParseAddr(first), netip.MustParseAddr(last), mask}
	}
	v4 := []ClassRange{
		r("0.0.0.0", "255.255.255.255", global),
		r("10.0.0.0", "10.255.255.255", local),
		r("172.16.0.0", "172.31.255.255", local),
		r("192.168.0.0", "192.168.255.255", local),
		r("169.254.0.0", "169.254.255.255", local),
		r("127.0.0.0", "127.255.255.255", local),
	}
	v6 := []ClassRange{
		r("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", global),
		r("fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", local),
		r("fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", local),
		r("::1", "::1", local),
	}
	if !unlimitedLocal {
		v4, v6 = v4[:1], v6[:1]
	}
	return append(v4, v6...)
}
