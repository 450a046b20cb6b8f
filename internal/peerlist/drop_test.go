package peerlist

import (
	"net/netip"
	"slices"
	"testing"
)

// Drop forgets what it is asked to, connected peers and seeds included,
// keeps banned peers whatever it is asked, and leaves the counts right.
func TestDrop(t *testing.T) {
	in10 := func(p Peer) bool { return netip.MustParsePrefix("10.0.0.0/8").Contains(p.Addr.Addr()) }
	tests := []struct {
		name    string
		drop    func(Peer) bool
		want    []string
		n       int
		seeds   int
		listLen int
	}{
		{"nothing", func(Peer) bool { return false }, []string{"10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1", "192.0.2.1:1"}, 0, 1, 3},
		{"a range", in10, []string{"10.0.0.3:1", "192.0.2.1:1"}, 2, 0, 1},
		{"a port", func(p Peer) bool { return p.Addr.Port() == 1 }, []string{"10.0.0.3:1"}, 3, 0, 0},
		{"everything", func(Peer) bool { return true }, []string{"10.0.0.3:1"}, 3, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New(Config{})
			for _, s := range []string{"10.0.0.1:1", "10.0.0.2:1", "192.0.2.1:1"} {
				l.Add(ap(s), FromTracker)
			}
			l.Ban(ap("10.0.0.3:1"))
			l.SetSeed(ap("10.0.0.1:1"), true)
			l.Incoming(ap("10.0.0.2:1")) // connected
			if n := l.Drop(tt.drop); n != tt.n {
				t.Errorf("Drop = %d, want %d", n, tt.n)
			}
			var got []string
			for _, p := range l.Peers() {
				got = append(got, p.Addr.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("left %v, want %v", got, tt.want)
			}
			if l.Seeds() != tt.seeds || l.Len() != tt.listLen {
				t.Errorf("seeds %d len %d, want %d and %d", l.Seeds(), l.Len(), tt.seeds, tt.listLen)
			}
			// A dropped connected peer's close finds nothing to update.
			l.Closed(ap("10.0.0.2:1"), true)
			if !l.Banned(ap("10.0.0.3:1")) {
				t.Error("the banned peer lost its ban")
			}
		})
	}
}
