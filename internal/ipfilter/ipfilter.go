// Package ipfilter is libtorrent's ip_filter and port_filter: maps from
// every IPv4 address, every IPv6 address and every port to a 32-bit flags
// value, built from ranges where the last range added wins, plus loaders
// for the blocklist files users have (P2P plaintext, eMule .dat, CIDR
// lines, gzipped or not).
//
// The flags are a plain uint32, not a yes/no: Blocked is the only flag an
// IP or port filter uses, but the same map with a peer-class mask as its
// flags is libtorrent's peer-class filter (set_peer_class_filter).
//
// Sharing: a filter is a mutable value, like libtorrent's, whose reads
// (Access, Export, Empty) never write. To hand one to several actors, Clone
// it once and let nobody mutate the clone: it is then an immutable
// snapshot that any number of goroutines may read. Clone is one allocation
// and copy per address family (about a millisecond for 100k ranges); a
// persistent structure would make copies free but every lookup slower, and
// lookups (one per connection) far outnumber filter changes (a user's
// action).
package ipfilter

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
)

// Blocked is the flag of addresses (ip_filter::blocked) and ports
// (port_filter::blocked) that must not be connected to nor accepted.
const Blocked uint32 = 1

// ErrBadRange means a rule's ends are invalid, of different address
// families, or in the wrong order.
var ErrBadRange = errors.New("ipfilter: bad range")

// IPRange is an inclusive range of addresses of one family with its flags
// (libtorrent's ip_range).
type IPRange struct {
	First, Last netip.Addr
	Flags       uint32
}

// IPFilter maps every IPv4 and IPv6 address to flags. The zero value
// allows everything (flags 0 everywhere). A nil *IPFilter reads as the
// zero value, so "no filter" needs no special case. It is not safe for
// concurrent use while it is being mutated; see the package comment for
// sharing.
//
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are IPv4: Access looks them
// up among the IPv4 rules, and a rule whose two ends are both IPv4 or
// mapped is an IPv4 rule. (libtorrent looks them up as IPv6; a dual-stack
// listener reports IPv4 peers as mapped, and they must meet the IPv4
// rules.) A rule that only partly covers ::ffff:0:0/96 stays an IPv6 rule,
// and its part inside that block matches nothing, since every address
// there is looked up as IPv4: a rule covering all of IPv6 must not block
// all of IPv4 too.
type IPFilter struct {
	v4 table[v4key]
	v6 table[v6key]
}

// AddRule gives every address in [first, last] the flags, overwriting
// whatever rules covered them before, so that Access(x) == flags for each
// x in the range afterwards (libtorrent's ip_filter::add_rule). Zones are
// ignored. It fails with ErrBadRange, changing nothing, when an end is
// invalid, the ends are of different families, or first is above last.
//
// One call costs O(log n) plus moving the ranges above the rule; adding
// many rules in random order is faster with AddRules.
func (f *IPFilter) AddRule(first, last netip.Addr, flags uint32) error {
	r, err := normalize(first, last, flags)
	if err != nil {
		return err
	}
	if r.First.Is4() {
		f.v4.add(v4From(r.First), v4From(r.Last), flags)
	} else {
		f.v6.add(v6From(r.First), v6From(r.Last), flags)
	}
	return nil
}

// AddRules adds the ranges as AddRule would, one after the other (a later
// range wins where ranges overlap), in O((n+m) log m) for a filter of n
// ranges and m rules. If any range is bad it fails with ErrBadRange
// before changing anything.
func (f *IPFilter) AddRules(ranges []IPRange) error {
	var r4 []rule[v4key]
	var r6 []rule[v6key]
	for i, r := range ranges {
		n, err := normalize(r.First, r.Last, r.Flags)
		if err != nil {
			return fmt.Errorf("range %d: %w", i, err)
		}
		if n.First.Is4() {
			r4 = append(r4, rule[v4key]{v4From(n.First), v4From(n.Last), n.Flags})
		} else {
			r6 = append(r6, rule[v6key]{v6From(n.First), v6From(n.Last), n.Flags})
		}
	}
	f.v4.apply(r4)
	f.v6.apply(r6)
	return nil
}

// normalize checks a rule's ends and makes an IPv4 or IPv4-mapped range
// IPv4.
func normalize(first, last netip.Addr, flags uint32) (IPRange, error) {
	if !first.IsValid() || !last.IsValid() {
		return IPRange{}, fmt.Errorf("%w: invalid address in %v-%v", ErrBadRange, first, last)
	}
	f, l, ok := normalRange(first.WithZone(""), last.WithZone(""))
	if !ok {
		if f.Is4() != l.Is4() {
			return IPRange{}, fmt.Errorf("%w: %v and %v are of different families", ErrBadRange, first, last)
		}
		return IPRange{}, fmt.Errorf("%w: %v is above %v", ErrBadRange, first, last)
	}
	return IPRange{f, l, flags}, nil
}

// normalRange unmaps the ends of a range of IPv4 or IPv4-mapped addresses
// and reports whether the ends are of one family and in order. The ends
// must be valid and zoneless.
func normalRange(first, last netip.Addr) (netip.Addr, netip.Addr, bool) {
	if isV4ish(first) && isV4ish(last) {
		first, last = first.Unmap(), last.Unmap()
	}
	return first, last, first.Is4() == last.Is4() && !last.Less(first)
}

// isV4ish reports whether a is IPv4 or IPv4-mapped IPv6.
func isV4ish(a netip.Addr) bool { return a.Is4() || a.Is4In6() }

// Access returns the flags of addr in O(log n) (libtorrent's
// ip_filter::access): 0 for an invalid address or a nil filter.
func (f *IPFilter) Access(addr netip.Addr) uint32 {
	if f == nil || !addr.IsValid() {
		return 0
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return f.v4.access(v4From(addr))
	}
	return f.v6.access(v6From(addr))
}

// Export returns the filter as the fewest ranges that describe it, in
// ascending order, covering 0.0.0.0-255.255.255.255 and ::-ffff:...:ffff
// exactly once, neighbours always with different flags (libtorrent's
// export_filter). An empty filter exports one range of flags 0 per family.
func (f *IPFilter) Export() (v4, v6 []IPRange) {
	if f == nil {
		f = &IPFilter{}
	}
	v4 = make([]IPRange, 0, len(f.v4.bounds)+1)
	f.v4.export(func(first, last v4key, flags uint32) {
		v4 = append(v4, IPRange{first.addr(), last.addr(), flags})
	})
	v6 = make([]IPRange, 0, len(f.v6.bounds)+1)
	f.v6.export(func(first, last v6key, flags uint32) {
		v6 = append(v6, IPRange{first.addr(), last.addr(), flags})
	})
	return v4, v6
}

// Empty reports whether every address has flags 0 (libtorrent's
// ip_filter::empty): true for a new filter, and again after rules of flags
// 0 overwrote all others.
func (f *IPFilter) Empty() bool {
	return f == nil || len(f.v4.bounds) == 0 && len(f.v6.bounds) == 0
}

// Clone returns a copy that shares nothing with f: a snapshot to hand to
// readers that nobody mutates any more. A nil f gives an empty filter.
func (f *IPFilter) Clone() *IPFilter {
	if f == nil {
		return &IPFilter{}
	}
	return &IPFilter{v4: f.v4.clone(), v6: f.v6.clone()}
}

// Equal reports whether f and g map every address to the same flags.
func (f *IPFilter) Equal(g *IPFilter) bool {
	if f == nil {
		f = &IPFilter{}
	}
	if g == nil {
		g = &IPFilter{}
	}
	return slices.Equal(f.v4.bounds, g.v4.bounds) && slices.Equal(f.v6.bounds, g.v6.bounds)
}
