package torrentactor

import (
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/messages"
)

// A turnover round drops peer_turnover percent of the torrent's peers (at
// least one, at most its connect candidates), and the torrent fills the
// slots from its list; in an OwnLimit round only a torrent at
// peer_turnover_cutoff of its own limit does.
func TestTurnOverPeers(t *testing.T) {
	tests := []struct {
		name    string
		set     map[string]any
		m       messages.TurnOverPeers
		dropped int
	}{
		{"the session's busiest torrent", map[string]any{"peer_turnover": 20}, messages.TurnOverPeers{}, 2},
		{"at its own limit", map[string]any{"peer_turnover": 20}, messages.TurnOverPeers{OwnLimit: true}, 2},
		{"one at least", map[string]any{"peer_turnover": 1}, messages.TurnOverPeers{}, 1},
		{"no more than the candidates", map[string]any{"peer_turnover": 90}, messages.TurnOverPeers{}, 4},
		{"under its own limit's cutoff", map[string]any{"peer_turnover": 20, "connections_limit": 12, "peer_turnover_cutoff": 90},
			messages.TurnOverPeers{OwnLimit: true}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var addrs, up []string
				for i := range 14 {
					addrs = append(addrs, fmt.Sprintf("10.0.0.%d:1", i+1))
				}
				up = addrs[:10] // with connections_limit 12, the other four fail
				set := map[string]any{"connections_limit": 10, "torrent_connect_boost": 14, "connection_speed": 100}
				for k, v := range tt.set {
					set[k] = v
				}
				r, pid, _ := peerListRig(t, Config{Settings: withSettings(set)}, up...)
				r.sys.Root.Send(pid, trackerPeers(addrs...))
				advance(time.Second)
				if st := r.status(pid); st.NumPeers != 10 {
					t.Fatalf("%d peers before the round, want 10", st.NumPeers)
				}
				r.sys.Root.Send(pid, &tt.m)
				advance(time.Second)
				r.sink.mu.Lock()
				n := 0
				for _, a := range r.sink.alerts {
					if d, ok := a.(*messages.PeerDisconnectedAlert); ok && errors.Is(d.Error, ErrTurnedOver) {
						n++
					}
				}
				r.sink.mu.Unlock()
				if n != tt.dropped {
					t.Fatalf("%d peers turned over, want %d", n, tt.dropped)
				}
			})
		})
	}
}
