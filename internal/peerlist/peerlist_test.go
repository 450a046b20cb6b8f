package peerlist

import (
	"net/netip"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func TestAddRejectsUnusableAddresses(t *testing.T) {
	l := New(Config{})
	for _, s := range []string{"0.0.0.0:6881", "10.0.0.1:0", "[::]:6881", "224.0.0.1:6881", "255.255.255.255:6881"} {
		if l.Add(ap(s), FromTracker) {
			t.Errorf("Add(%s) = true, want false", s)
		}
	}
	if !l.Add(ap("10.0.0.1:6881"), FromTracker) || l.Len() != 1 {
		t.Fatalf("a usable address was not added (len %d)", l.Len())
	}
}

func TestMappedAndPlainIPv4AreOnePeer(t *testing.T) {
	l := New(Config{})
	l.Add(ap("10.0.0.1:6881"), FromTracker)
	l.Add(ap("[::ffff:10.0.0.1]:6881"), FromResume)
	ps := l.Peers()
	if len(ps) != 1 || ps[0].Source != FromTracker|FromResume {
		t.Fatalf("peers = %+v, want one with both sources", ps)
	}
}

func TestCandidatesOrderAndMarking(t *testing.T) {
	l := New(Config{})
	for _, s := range []string{"10.0.0.3:1", "10.0.0.1:1", "10.0.0.2:1"} {
		l.Add(ap(s), FromTracker)
	}
	got := l.Candidates(t0, 2, false)
	if want := []netip.AddrPort{ap("10.0.0.1:1"), ap("10.0.0.2:1")}; !slices.Equal(got, want) {
		t.Fatalf("candidates = %v, want %v", got, want)
	}
	// The two chosen are connected now: only the third is left.
	if got := l.Candidates(t0, 5, false); !slices.Equal(got, []netip.AddrPort{ap("10.0.0.3:1")}) {
		t.Fatalf("second round = %v", got)
	}
	if got := l.Candidates(t0, 5, false); len(got) != 0 {
		t.Fatalf("third round = %v, want none", got)
	}
}

func TestFailedPeersWaitLongerEachTimeAndAreDropped(t *testing.T) {
	l := New(Config{MaxFailcount: 3, MinReconnect: time.Minute})
	a := ap("10.0.0.1:1")
	l.Add(a, FromTracker)
	now := t0
	for fail := 1; fail <= 2; fail++ {
		if got := l.Candidates(now, 1, false); len(got) != 1 {
			t.Fatalf("fail %d: not a candidate at %v", fail, now)
		}
		l.Closed(a, true)
		wait := time.Duration(fail) * time.Minute
		if n, m := l.ConnectCandidates(now.Add(wait-time.Second), false), l.ConnectCandidates(now.Add(wait), false); n != 0 || m != 1 {
			t.Fatalf("fail %d: connect_candidates %d before the wait and %d after, want 0 and 1", fail, n, m)
		}
		if got := l.Candidates(now.Add(wait-time.Second), 1, false); len(got) != 0 {
			t.Fatalf("fail %d: candidate before its %v wait", fail, wait)
		}
		now = now.Add(wait)
	}
	l.Candidates(now, 1, false)
	l.Closed(a, true) // third failure
	if l.Len() != 0 {
		t.Fatalf("a peer that failed max_failcount times is kept (len %d)", l.Len())
	}
}

func TestHandshakeForgivesFailures(t *testing.T) {
	l := New(Config{MinReconnect: time.Minute})
	a := ap("10.0.0.1:1")
	l.Add(a, FromTracker)
	l.Candidates(t0, 1, false)
	l.Closed(a, true)
	l.Candidates(t0.Add(time.Minute), 1, false)
	l.Handshaken(a)
	l.Closed(a, false)
	if got := l.Candidates(t0.Add(time.Minute), 1, false); len(got) != 1 {
		t.Fatal("a peer that worked and closed cleanly must be a candidate again at once")
	}
}

func TestBannedPeersAreNeverCandidatesNorAccepted(t *testing.T) {
	l := New(Config{})
	a := ap("10.0.0.1:1")
	l.Add(a, FromTracker)
	l.Ban(a)
	if l.Add(a, FromTracker) || l.Incoming(a) {
		t.Fatal("a banned peer was accepted")
	}
	if got := l.Candidates(t0, 5, false); len(got) != 0 {
		t.Fatalf("banned peer is a candidate: %v", got)
	}
	if !l.Banned(a) || l.Len() != 0 {
		t.Fatalf("banned=%v len=%d", l.Banned(a), l.Len())
	}
}

func TestSeedsAreCountedAndSkippedWhenWeSeed(t *testing.T) {
	l := New(Config{})
	s, p := ap("10.0.0.1:1"), ap("10.0.0.2:1")
	l.Add(s, FromTracker)
	l.Add(p, FromTracker)
	l.SetSeed(s, true)
	l.SetSeed(s, true)
	if l.Seeds() != 1 {
		t.Fatalf("seeds = %d, want 1", l.Seeds())
	}
	if got := l.Candidates(t0, 5, true); !slices.Equal(got, []netip.AddrPort{p}) {
		t.Fatalf("candidates while seeding = %v, want only %v", got, p)
	}
}

func TestFullListEvictsTheLeastUseful(t *testing.T) {
	l := New(Config{MaxSize: 3, MaxFailcount: 5})
	a, b, c := ap("10.0.0.1:1"), ap("10.0.0.2:1"), ap("10.0.0.3:1")
	for _, x := range []netip.AddrPort{a, b, c} {
		l.Add(x, FromTracker)
	}
	l.Candidates(t0, 3, false)
	l.Closed(b, true) // b failed once; a and c stay connected
	if !l.Add(ap("10.0.0.4:1"), FromTracker) {
		t.Fatal("no room made")
	}
	for _, p := range l.Peers() {
		if p.Addr == b {
			t.Fatal("the failed peer should have been evicted")
		}
	}
	// Everything left is connected: nothing may be evicted.
	l.Candidates(t0.Add(time.Hour), 3, false)
	if l.Add(ap("10.0.0.5:1"), FromTracker) {
		t.Fatal("evicted a connected peer")
	}
	if l.Len() != 3 {
		t.Fatalf("len = %d, want 3", l.Len())
	}
}

func TestIncomingOnlyPeersLeaveWithTheirConnection(t *testing.T) {
	l := New(Config{})
	in := ap("10.0.0.1:50123")
	if !l.Incoming(in) || l.Len() != 1 {
		t.Fatal("incoming peer not recorded")
	}
	if got := l.Candidates(t0, 5, false); len(got) != 0 {
		t.Fatalf("connected incoming peer is a candidate: %v", got)
	}
	l.Closed(in, false)
	if l.Len() != 0 {
		t.Fatal("an ephemeral incoming address stayed in the list")
	}
	// One a tracker also named stays (its port is connectable).
	both := ap("10.0.0.2:6881")
	l.Add(both, FromTracker)
	l.Incoming(both)
	l.Closed(both, false)
	if l.Len() != 1 {
		t.Fatal("a tracker peer left with its incoming connection")
	}
}

func TestDisconnectedMakesEveryoneACandidate(t *testing.T) {
	l := New(Config{})
	l.Add(ap("10.0.0.1:1"), FromTracker)
	l.Connecting(ap("10.0.0.1:1"), t0)
	if got := l.Candidates(t0, 1, false); len(got) != 0 {
		t.Fatal("a connecting peer is a candidate")
	}
	l.Disconnected()
	if got := l.Candidates(t0, 1, false); len(got) != 1 {
		t.Fatal("after Disconnected the peer is not a candidate")
	}
}

// A peer that alone sent a bad piece is banned at once; one that shared
// bad pieces with others is banned when its trust runs out, later the more
// good pieces it sent.
func TestHashFailuresBan(t *testing.T) {
	l := New(Config{})
	a, b := ap("10.0.0.1:1"), ap("10.0.0.2:1")
	l.Add(a, FromTracker)
	l.Add(b, FromTracker)
	if !l.HashFailed(a, true) || !l.Banned(a) {
		t.Fatal("the only sender of a bad piece is not banned")
	}
	if l.HashFailed(a, true) {
		t.Fatal("banned twice")
	}
	for i := 1; i <= 3; i++ { // trust -2, -4, -6
		if l.HashFailed(b, false) {
			t.Fatalf("banned after %d shared failures", i)
		}
	}
	l.PiecePassed(b)            // -5
	if l.HashFailed(b, false) { // -7
		if got := l.Peers()[1].Trust; got != -7 {
			t.Fatalf("trust %d", got)
		}
	} else {
		t.Fatal("not banned with trust at -7")
	}
	if l.HashFailed(ap("10.9.9.9:1"), true) {
		t.Fatal("an unknown peer was banned")
	}
}

func TestTrustIsCapped(t *testing.T) {
	l := New(Config{})
	a := ap("10.0.0.1:1")
	l.Add(a, FromTracker)
	for range 20 {
		l.PiecePassed(a)
	}
	// From the cap (8) it takes eight shared failures to reach -7.
	for i := 1; i < 8; i++ {
		if l.HashFailed(a, false) {
			t.Fatalf("banned after %d failures from full trust", i)
		}
	}
	if !l.HashFailed(a, false) {
		t.Fatal("not banned after eight failures from full trust")
	}
}
