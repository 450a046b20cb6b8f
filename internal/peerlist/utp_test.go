package peerlist

import (
	"net/netip"
	"testing"
	"time"
)

// A peer whose uTP connect failed is remembered as lacking uTP, through
// a reconnect; an unknown address is ignored.
func TestNoUTPIsRemembered(t *testing.T) {
	l := New(Config{})
	a := netip.MustParseAddrPort("10.0.0.1:6881")
	if !l.Add(a, FromTracker) {
		t.Fatal("Add refused a valid peer")
	}
	if p, _ := l.Lookup(a); p.NoUTP {
		t.Fatal("a new peer is marked as lacking uTP")
	}
	now := time.Now()
	l.Connecting(a, now)
	l.NoUTP(a)
	l.Closed(a, true)
	p, ok := l.Lookup(a)
	if !ok || !p.NoUTP {
		t.Fatalf("after NoUTP and a failed connection: %+v, %v", p, ok)
	}
	l.NoUTP(netip.MustParseAddrPort("10.0.0.2:6881")) // not in the list: no entry made
	if l.Len() != 1 {
		t.Fatalf("NoUTP of an unknown address changed the list: %d entries", l.Len())
	}
}
