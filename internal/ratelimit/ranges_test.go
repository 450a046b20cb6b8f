package ratelimit

import (
	"net/netip"
	"testing"
)

// classOf looks an address up as the integrator's range map will: the last
// range loaded that holds it wins.
func classOf(ranges []ClassRange, a netip.Addr) uint32 {
	var m uint32
	for _, r := range ranges {
		if r.First.BitLen() == a.BitLen() && r.First.Compare(a) <= 0 && a.Compare(r.Last) <= 0 {
			m = r.Mask
		}
	}
	return m
}

func TestDefaultClassRanges(t *testing.T) {
	global, local := Mask(GlobalClass), Mask(LocalClass)
	for _, tc := range []struct {
		addr           string
		unlimitedLocal uint32
		limitedLocal   uint32
	}{
		{"8.8.8.8", global, global},
		{"0.0.0.0", global, global},
		{"255.255.255.255", global, global},
		{"127.0.0.1", local, global},
		{"127.255.255.255", local, global},
		{"10.1.2.3", local, global},
		{"11.0.0.0", global, global},
		{"172.16.0.1", local, global},
		{"172.31.255.255", local, global},
		{"172.32.0.1", global, global},
		{"192.168.1.1", local, global},
		{"169.254.3.4", local, global},
		{"::1", local, global},
		{"::2", global, global},
		{"2001:db8::1", global, global},
		{"fd12:3456::1", local, global},
		{"fc00::", local, global},
		{"fe80::1", local, global},
		{"febf:ffff::1", local, global},
		{"fec0::1", global, global},
	} {
		a := netip.MustParseAddr(tc.addr)
		if got := classOf(DefaultClassRanges(true), a); got != tc.unlimitedLocal {
			t.Errorf("%s with unlimited local: mask %#x, want %#x", a, got, tc.unlimitedLocal)
		}
		if got := classOf(DefaultClassRanges(false), a); got != tc.limitedLocal {
			t.Errorf("%s without: mask %#x, want %#x", a, got, tc.limitedLocal)
		}
	}
	rs := DefaultClassRanges(true)
	if len(rs) != 10 || len(DefaultClassRanges(false)) != 2 {
		t.Fatalf("%d and %d ranges, want 10 and 2", len(rs), len(DefaultClassRanges(false)))
	}
	if rs[0].Mask != global || !rs[0].First.Is4() || rs[6].Mask != global || !rs[6].First.Is6() {
		t.Error("the ranges covering everything do not come first in each family")
	}
	for _, r := range rs {
		if r.First.BitLen() != r.Last.BitLen() || r.Last.Less(r.First) {
			t.Errorf("bad range %v-%v", r.First, r.Last)
		}
	}
}
