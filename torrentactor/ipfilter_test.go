package torrentactor

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/tracker"
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

// A tracker at a blocked address is never called: its announce fails
// with ErrBannedByIPFilter in a tracker_error, while the other tier
// announces. Without the filter the next announce reaches it.
func TestAnnounceSkipsBlockedTracker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newAnnounceRig(t, [][]string{{"http://10.9.9.9:80/ann"}, {"udp://192.0.2.7:6969"}},
			tracker.Settings{AnnounceToAllTiers: true},
			func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) {
				return okReply(30 * time.Minute), nil
			})
		r.send(&setTrackerFilter{filter: ipFilter(t, "10.0.0.0-10.255.255.255")})
		r.send(&messages.StartAnnouncing{})
		advance(time.Second)
		calls := r.client.got()
		if len(calls) != 1 || calls[0].url != "udp://192.0.2.7:6969" {
			t.Fatalf("calls: %s", events(calls))
		}
		var banned bool
		r.sink.mu.Lock()
		for _, a := range r.sink.alerts {
			if e, ok := a.(*messages.TrackerErrorAlert); ok && e.URL == "http://10.9.9.9:80/ann" {
				banned = errors.Is(e.Error, messages.ErrBannedByIPFilter)
			}
		}
		r.sink.mu.Unlock()
		if !banned {
			t.Fatal("no tracker_error with ErrBannedByIPFilter for the blocked tracker")
		}
		r.send(&setTrackerFilter{})
		advance(time.Minute) // past the first retry (5 s after a failure)
		n := 0
		for _, c := range r.client.got() {
			if c.url == "http://10.9.9.9:80/ann" {
				n++
			}
		}
		if n == 0 {
			t.Fatalf("no announce to the tracker once unfiltered: %s", events(r.client.got()))
		}
	})
}

// FilteredDial and FilteredResolve drop what the announce's filter
// blocks, names (resolved) and addresses alike; without a filter they
// dial and resolve as usual.
func TestFilteredDialAndResolve(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	loopback := ipFilter(t, "127.0.0.0-127.255.255.255", "::1-::1")
	onlyV6 := ipFilter(t, "::1-::1")
	dial := FilteredDial(&net.Dialer{Timeout: 5 * time.Second})
	tests := []struct {
		name   string
		filter *ipfilter.IPFilter
		host   string
		banned bool
	}{
		{"no filter", nil, "127.0.0.1", false},
		{"blocked address", loopback, "127.0.0.1", true},
		{"blocked name", loopback, "localhost", true},
		{"name with an allowed address", onlyV6, "localhost", false},
		{"allowed address", onlyV6, "127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			ctx = withIPFilter(ctx, tt.filter)
			c, err := dial(ctx, "tcp", net.JoinHostPort(tt.host, port))
			if c != nil {
				c.Close()
			}
			if errors.Is(err, messages.ErrBannedByIPFilter) != tt.banned || (!tt.banned && err != nil) {
				t.Fatalf("dial: %v, want banned %v", err, tt.banned)
			}
			addrs, err := FilteredResolve(ctx, tt.host)
			if errors.Is(err, messages.ErrBannedByIPFilter) != tt.banned || (!tt.banned && len(addrs) == 0) {
				t.Fatalf("resolve: %v %v, want banned %v", addrs, err, tt.banned)
			}
			for _, a := range addrs {
				if blocked(tt.filter, a) {
					t.Fatalf("resolve returned blocked %v", a)
				}
			}
		})
	}
}
