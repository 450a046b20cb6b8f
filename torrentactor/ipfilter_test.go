package torrentactor

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/messages"
)

func ipFilter(t *testing.T, ranges ...string) *ipfilter.IPFilter {
	t.Helper()
	f := &ipfilter.IPFilter{}
	for _, r := range ranges {
		first, last, _ := strings.Cut(r, "-")
		if err := f.AddRule(netip.MustParseAddr(first), netip.MustParseAddr(last), ipfilter.Blocked); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func portFilter(t *testing.T, first, last uint16) *ipfilter.PortFilter {
	t.Helper()
	f := &ipfilter.PortFilter{}
	if err := f.AddRule(first, last, ipfilter.Blocked); err != nil {
		t.Fatal(err)
	}
	return f
}

// The IP filter applies only with the torrent's flag, in both
// directions; the port filter always, to the peers we connect to.
func TestBlockReason(t *testing.T) {
	ipf := ipFilter(t, "10.0.0.0-10.255.255.255", "2001:db8::-2001:db8::ffff")
	pf := portFilter(t, 25, 25)
	tests := []struct {
		name     string
		f        filterState
		addr     string
		outgoing bool
		want     messages.PeerBlockedReason
		blocked  bool
	}{
		{"no filters", filterState{apply: true}, "10.0.0.1:6881", true, 0, false},
		{"blocked address", filterState{ip: ipf, apply: true}, "10.0.0.1:6881", true, messages.BlockedIPFilter, true},
		{"blocked address, incoming", filterState{ip: ipf, apply: true}, "10.0.0.1:50000", false, messages.BlockedIPFilter, true},
		{"blocked IPv6", filterState{ip: ipf, apply: true}, "[2001:db8::7]:6881", true, messages.BlockedIPFilter, true},
		{"mapped IPv4 is IPv4", filterState{ip: ipf, apply: true}, "[::ffff:10.1.2.3]:6881", true, messages.BlockedIPFilter, true},
		{"allowed address", filterState{ip: ipf, apply: true}, "192.0.2.1:6881", true, 0, false},
		{"torrent without the flag", filterState{ip: ipf}, "10.0.0.1:6881", true, 0, false},
		{"blocked port", filterState{port: pf}, "192.0.2.1:25", true, messages.BlockedPortFilter, true},
		{"blocked port, incoming", filterState{port: pf}, "192.0.2.1:25", false, 0, false},
		{"blocked port, no IP flag", filterState{ip: ipf, port: pf}, "10.0.0.1:25", true, messages.BlockedPortFilter, true},
		{"both: the IP filter says", filterState{ip: ipf, port: pf, apply: true}, "10.0.0.1:25", true, messages.BlockedIPFilter, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, blocked := tt.f.blockReason(netip.MustParseAddrPort(tt.addr), tt.outgoing)
			if r != tt.want || blocked != tt.blocked {
				t.Fatalf("blockReason = %v, %v; want %v, %v", r, blocked, tt.want, tt.blocked)
			}
		})
	}
}
