package peerlist

import (
	"testing"
	"time"
)

// TestNextCandidate: NextCandidate agrees with Candidates: now when one
// is a candidate, else the end of the shortest reconnect wait, zero when
// none will ever be.
func TestNextCandidate(t *testing.T) {
	const wait = 60 * time.Second
	cases := []struct {
		name      string
		fill      func(l *List)
		skipSeeds bool
		want      time.Time
	}{
		{"empty", func(*List) {}, false, time.Time{}},
		{"fresh peer", func(l *List) { l.Add(ap("10.0.0.1:1"), FromTracker) }, false, t0},
		{"connected", func(l *List) {
			l.Add(ap("10.0.0.1:1"), FromTracker)
			l.Candidates(t0, 1, false)
		}, false, time.Time{}},
		{"failed once, then twice", func(l *List) {
			l.Add(ap("10.0.0.1:1"), FromTracker)
			l.Add(ap("10.0.0.2:1"), FromTracker)
			l.Candidates(t0.Add(-10*time.Second), 2, false)
			l.Closed(ap("10.0.0.1:1"), true)
			l.Closed(ap("10.0.0.2:1"), true)
			l.Candidates(t0.Add(-10*time.Second+wait), 1, false) // 10.0.0.1 first (same failcount, address order)
			l.Closed(ap("10.0.0.1:1"), true)
		}, false, t0.Add(-10*time.Second + wait)}, // 10.0.0.2's one wait, not 10.0.0.1's two
		{"banned", func(l *List) {
			l.Add(ap("10.0.0.1:1"), FromTracker)
			l.Ban(ap("10.0.0.1:1"))
		}, false, time.Time{}},
		{"seed skipped", func(l *List) {
			l.Add(ap("10.0.0.1:1"), FromTracker)
			l.SetSeed(ap("10.0.0.1:1"), true)
		}, true, time.Time{}},
		{"seed kept", func(l *List) {
			l.Add(ap("10.0.0.1:1"), FromTracker)
			l.SetSeed(ap("10.0.0.1:1"), true)
		}, false, t0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := New(Config{MinReconnect: wait})
			c.fill(l)
			got := l.NextCandidate(t0, c.skipSeeds)
			if !got.Equal(c.want) {
				t.Fatalf("NextCandidate = %v, want %v", got, c.want)
			}
			// Candidates offers a peer at that moment and none before.
			if !got.IsZero() {
				if n := l.ConnectCandidates(got, c.skipSeeds); n == 0 {
					t.Fatalf("no candidate at %v", got)
				}
				if got.After(t0) && l.ConnectCandidates(got.Add(-time.Nanosecond), c.skipSeeds) != 0 {
					t.Fatalf("a candidate before %v", got)
				}
			}
		})
	}
}
