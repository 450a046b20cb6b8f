package announcer

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/messages"
)

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
