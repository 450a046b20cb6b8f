package actors

import (
	"net/netip"
	"testing"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/ratelimit"
)

func TestBandwidthClassMask(t *testing.T) {
	global, tcp, local := ratelimit.Mask(ratelimit.GlobalClass), ratelimit.Mask(ratelimit.TCPClass), ratelimit.Mask(ratelimit.LocalClass)
	everythingGlobal := &ipfilter.IPFilter{}
	for _, r := range []ipfilter.IPRange{
		{First: netip.MustParseAddr("0.0.0.0"), Last: netip.MustParseAddr("255.255.255.255"), Flags: global},
		{First: netip.MustParseAddr("::"), Last: netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), Flags: global},
	} {
		if err := everythingGlobal.AddRule(r.First, r.Last, r.Flags); err != nil {
			t.Fatal(err)
		}
	}
	noUTPGlobal := ratelimit.DefaultTypeFilter()
	noUTPGlobal.Disallow(ratelimit.UTPSocket, ratelimit.GlobalClass)
	tests := []struct {
		name   string
		filter *ipfilter.IPFilter // nil: the default
		types  *ratelimit.TypeFilter
		addr   string
		socket ratelimit.SocketType
		want   uint32
	}{
		{"internet peer over tcp", nil, nil, "203.0.113.7", ratelimit.TCPSocket, global | tcp},
		{"internet peer over utp", nil, nil, "203.0.113.7", ratelimit.UTPSocket, global},
		{"loopback is local only", nil, nil, "127.0.0.1", ratelimit.TCPSocket, local | tcp},
		{"LAN is local only", nil, nil, "192.168.1.20", ratelimit.TCPSocket, local | tcp},
		{"IPv6 loopback", nil, nil, "::1", ratelimit.TCPSocket, local | tcp},
		{"IPv4-mapped loopback", nil, nil, "::ffff:127.0.0.1", ratelimit.TCPSocket, local | tcp},
		{"no IP: as 0.0.0.0", nil, nil, "", ratelimit.TCPSocket, global | tcp},
		{"everything global", everythingGlobal, nil, "127.0.0.1", ratelimit.TCPSocket, global | tcp},
		{"type filter takes global from utp", nil, &noUTPGlobal, "203.0.113.7", ratelimit.UTPSocket, 0},
		{"default filter without local", DefaultClassFilter(false), nil, "10.0.0.1", ratelimit.TCPSocket, global | tcp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBandwidth(0)
			defer b.Close()
			if tc.filter != nil {
				b.SetClassFilter(tc.filter)
			}
			if tc.types != nil {
				b.SetTypeFilter(*tc.types)
			}
			var addr netip.Addr
			if tc.addr != "" {
				addr = netip.MustParseAddr(tc.addr)
			}
			if got := b.ClassMask(addr, tc.socket); got != tc.want {
				t.Errorf("ClassMask(%v, %v) = %b, want %b", addr, tc.socket, got, tc.want)
			}
			pc := b.PeerChannels(addr, tc.socket)
			if pc.Mask != tc.want || len(pc.Up) != len(pc.Down) {
				t.Fatalf("PeerChannels = %+v", pc)
			}
			want := b.ClassChannels(tc.want, ratelimit.Upload, nil)
			if len(pc.Up) != len(want) {
				t.Fatalf("%d upload channels, want %d", len(pc.Up), len(want))
			}
			for i := range want {
				if pc.Up[i] != want[i] {
					t.Errorf("upload channel %d is not its class's", i)
				}
			}
		})
	}
}

func TestBandwidthFiltersAreCopies(t *testing.T) {
	b := NewBandwidth(0)
	defer b.Close()
	f := &ipfilter.IPFilter{}
	lo := netip.MustParseAddr("127.0.0.1")
	if err := f.AddRule(lo, lo, ratelimit.Mask(ratelimit.GlobalClass)); err != nil {
		t.Fatal(err)
	}
	b.SetClassFilter(f)
	if err := f.AddRule(lo, lo, 0); err != nil { // the caller's copy changes
		t.Fatal(err)
	}
	got := b.ClassFilter()
	if got.Access(lo) != ratelimit.Mask(ratelimit.GlobalClass) {
		t.Error("the gate's filter changed with the caller's")
	}
	if err := got.AddRule(lo, lo, 0); err != nil {
		t.Fatal(err)
	}
	if b.ClassMask(lo, ratelimit.I2PSocket) != ratelimit.Mask(ratelimit.GlobalClass, ratelimit.TCPClass) {
		t.Error("mutating ClassFilter's result changed the gate's")
	}
	var nilGate *Bandwidth
	if pc := nilGate.PeerChannels(lo, ratelimit.TCPSocket); pc.Mask != 0 || pc.Up != nil || pc.Down != nil {
		t.Errorf("a nil gate gave channels: %+v", pc)
	}
}

func TestSlotsTakeScaled(t *testing.T) {
	tests := []struct {
		limit, factor, want int
	}{
		{limit: 10, factor: 100, want: 10},
		{limit: 10, factor: 150, want: 15},
		{limit: 10, factor: 50, want: 5},
		{limit: 10, factor: 0, want: 10},
		{limit: 0, factor: 150, want: 1000}, // no limit
	}
	for _, tc := range tests {
		s := NewSlots(tc.limit)
		n := 0
		for n < 1000 && s.TakeScaled(tc.factor) {
			n++
		}
		if n != tc.want {
			t.Errorf("limit %d factor %d: took %d slots, want %d", tc.limit, tc.factor, n, tc.want)
		}
	}
	s := NewSlots(2)
	if !s.TakeScaled(150) || !s.TakeScaled(150) || s.Take() || !s.TakeScaled(150) || s.TakeScaled(150) {
		t.Error("a scaled take must not let plain takes past the plain limit")
	}
}
