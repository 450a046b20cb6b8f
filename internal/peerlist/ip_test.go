package peerlist

import (
	"slices"
	"testing"
)

// With one connection per IP (the default), a second port of an IP that
// has a connection is no candidate, nor is an incoming connection from it
// accepted; once the connection ends the other port is a candidate again.
// With MultipleConnectionsPerIP, ports are peers of their own.
func TestOneConnectionPerIP(t *testing.T) {
	tests := []struct {
		name     string
		multiple bool
		// connect: the first candidates call (n=10) when both ports of
		// 10.0.0.1 and 10.0.0.2:1 are known.
		connect []string
		// incoming: whether Incoming from 10.0.0.1:9999 is accepted
		// while 10.0.0.1 is connected.
		incoming bool
		// busy: IPBusy(10.0.0.1:7) while 10.0.0.1 is connected.
		busy bool
		// next: NextCandidate is now with 10.0.0.1:1 connected and
		// 10.0.0.2:1 too (10.0.0.1:2 left).
		next bool
	}{
		{"one per IP", false, []string{"10.0.0.1:1", "10.0.0.2:1"}, false, true, false},
		{"several per IP", true, []string{"10.0.0.1:1", "10.0.0.1:2", "10.0.0.2:1"}, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New(Config{MultipleConnectionsPerIP: tt.multiple})
			for _, s := range []string{"10.0.0.1:1", "10.0.0.1:2", "10.0.0.2:1"} {
				l.Add(ap(s), FromTracker)
			}
			got := l.Candidates(t0, 10, false)
			var gs []string
			for _, a := range got {
				gs = append(gs, a.String())
			}
			if !slices.Equal(gs, tt.connect) {
				t.Fatalf("candidates = %v, want %v", gs, tt.connect)
			}
			if b := l.IPBusy(ap("10.0.0.1:7")); b != tt.busy {
				t.Errorf("IPBusy = %v, want %v", b, tt.busy)
			}
			if in := l.Incoming(ap("10.0.0.1:9999")); in != tt.incoming {
				t.Errorf("Incoming = %v, want %v", in, tt.incoming)
			}
			if !tt.multiple {
				if n := l.ConnectCandidates(t0, false); n != 0 {
					t.Errorf("connect candidates = %d, want 0 (10.0.0.1:2 waits for its IP)", n)
				}
				if !l.NextCandidate(t0, false).IsZero() {
					t.Errorf("next candidate set while its IP is connected")
				}
				l.Closed(ap("10.0.0.1:1"), false)
				if l.IPBusy(ap("10.0.0.1:7")) {
					t.Errorf("IP busy after its connection closed")
				}
				again := l.Candidates(t0, 10, false)
				if len(again) != 1 || again[0].Addr() != ap("10.0.0.1:1").Addr() {
					t.Errorf("after close: candidates = %v, want one port of 10.0.0.1", again)
				}
			}
		})
	}
}

// A peer dropped while connected (Drop under a new filter) frees its IP;
// Disconnected frees every IP.
func TestBusyIPsFollowDropAndDisconnected(t *testing.T) {
	l := New(Config{})
	l.Add(ap("10.0.0.1:1"), FromTracker)
	l.Add(ap("10.0.0.2:1"), FromTracker)
	l.Candidates(t0, 10, false)
	l.Drop(func(p Peer) bool { return p.Addr == ap("10.0.0.1:1") })
	if l.IPBusy(ap("10.0.0.1:5")) || !l.IPBusy(ap("10.0.0.2:5")) {
		t.Fatalf("after drop: busy 10.0.0.1 %v (want false), 10.0.0.2 %v (want true)",
			l.IPBusy(ap("10.0.0.1:5")), l.IPBusy(ap("10.0.0.2:5")))
	}
	l.Disconnected()
	if l.IPBusy(ap("10.0.0.2:5")) {
		t.Fatal("busy after Disconnected")
	}
}
