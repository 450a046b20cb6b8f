package ipvoter

import (
	"net/netip"
	"testing"
	"time"
)

func a(s string) netip.Addr { return netip.MustParseAddr(s) }

func src(i int) netip.Addr { return netip.AddrFrom4([4]byte{198, 51, 100, byte(i)}) }

func TestFirstVoteNamesTheAddress(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var v Voter
	if v.Vote(t0, a("127.0.0.1"), src(1)) || v.Vote(t0, a("192.168.1.2"), src(1)) || v.Vote(t0, a("::1"), src(1)) {
		t.Fatal("a loopback or private address was taken")
	}
	if v.Vote(t0, a("2001:db8::1"), src(1)) {
		t.Fatal("an IPv6 vote from an IPv4 source was taken")
	}
	if !v.Vote(t0, a("203.0.113.7"), src(1)) || v.External() != a("203.0.113.7") {
		t.Fatalf("first vote: external %v", v.External())
	}
	if v.Vote(t0, a("203.0.113.7"), src(2)) {
		t.Fatal("a second vote for the same address reported a change")
	}
}

// A source votes once; a new address needs a clear majority of a round
// (50 votes, or 5 minutes) to replace the first.
func TestChangeNeedsAClearMajority(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var v Voter
	v.Vote(t0, a("203.0.113.7"), src(1))
	changed := false
	for i := 2; i < 40; i++ {
		changed = v.Vote(t0, a("203.0.113.9"), src(i)) || changed
	}
	if v.External() != a("203.0.113.9") || !changed {
		t.Fatalf("38 votes against 1: external %v (changed %v)", v.External(), changed)
	}
	// Now settled: a few dissenting votes change nothing.
	for i := 100; i < 110; i++ {
		if v.Vote(t0.Add(time.Minute), a("203.0.113.1"), src(i)) {
			t.Fatal("ten dissenting votes changed a settled address")
		}
	}
	// The same source voting twice counts once.
	var w Voter
	w.Vote(t0, a("203.0.113.7"), src(1))
	for range 30 {
		w.Vote(t0, a("203.0.113.9"), src(2))
	}
	if w.External() != a("203.0.113.7") {
		t.Fatalf("one source's 30 votes changed the address to %v", w.External())
	}
}

func TestCandidatesAreBounded(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var v Voter
	for i := range 200 {
		v.Vote(t0, netip.AddrFrom4([4]byte{203, 0, byte(i), 1}), netip.AddrFrom4([4]byte{198, 18, byte(i), 1}))
	}
	if len(v.candidates) > maxCandidates+1 {
		t.Fatalf("%d candidates kept", len(v.candidates))
	}
}
