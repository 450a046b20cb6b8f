package torrentactor

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"
)

// torrent_connect_boost: a tracker's reply is answered with that many
// connection attempts on top of connection_speed's, paid for out of the
// session's next seconds of connection_speed (as libtorrent's boost
// connections).
func TestTorrentConnectBoost(t *testing.T) {
	tests := []struct {
		boost         int
		atOnce, after int // dialled at the reply, and 2 s later
	}{
		{0, 1, 3}, // one a second
		{3, 4, 4}, // 1 + 3 at once; the 3 are paid off over the next 3 s
	}
	addrs := []string{"10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1", "10.0.0.4:1", "10.0.0.5:1", "10.0.0.6:1", "10.0.0.7:1"}
	for _, tt := range tests {
		t.Run(fmt.Sprint("boost ", tt.boost), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r, pid, f := peerListRig(t, Config{Settings: withSettings(map[string]any{
					"connection_speed": 1, "torrent_connect_boost": tt.boost})}, addrs...)
				advance(time.Second) // a second's allowance saved: one attempt
				r.sys.Root.Send(pid, trackerPeers(addrs...))
				synctest.Wait()
				if n := len(f.dialed()); n != tt.atOnce {
					t.Fatalf("dialled %d at the tracker's reply, want %d", n, tt.atOnce)
				}
				advance(2 * time.Second)
				if n := len(f.dialed()); n != tt.after {
					t.Fatalf("dialled %d 2 s later, want %d", n, tt.after)
				}
			})
		})
	}
}

// smooth_connects: a round of attempts takes at most half the free
// connection slots (rounded up); off, all of them.
func TestSmoothConnects(t *testing.T) {
	tests := []struct {
		smooth bool
		rounds []int // dialled after the reply, then after each second
	}{
		{true, []int{5, 8, 9, 10}},
		{false, []int{10, 10, 10, 10}},
	}
	var addrs []string
	for i := range 20 {
		addrs = append(addrs, fmt.Sprintf("10.0.0.%d:1", i+1))
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("smooth_connects ", tt.smooth), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r, pid, f := peerListRig(t, Config{Settings: withSettings(map[string]any{"connection_speed": 100,
					"connections_limit": 10, "torrent_connect_boost": 0, "smooth_connects": tt.smooth})}, addrs...)
				r.sys.Root.Send(pid, trackerPeers(addrs...))
				synctest.Wait()
				for i, want := range tt.rounds {
					if i > 0 {
						advance(time.Second)
					}
					if n := len(f.dialed()); n != want {
						t.Fatalf("round %d: dialled %d, want %d", i, n, want)
					}
				}
			})
		})
	}
}
