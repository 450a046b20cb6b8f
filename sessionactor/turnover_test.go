package sessionactor

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// The rounds: the first 90 s after the start, then every
// peer_turnover_interval; a session at peer_turnover_cutoff of
// connections_limit tells only its torrent with the most peers, otherwise
// every torrent with peers is told to check its own limit.
func TestTurnoverRounds(t *testing.T) {
	tests := []struct {
		name string
		used int
		want map[int][]messages.TurnOverPeers // torrent → rounds it was told of, after 90 s and 100 s more
	}{
		{"at the cutoff: the busiest", 90, map[int][]messages.TurnOverPeers{1: {{}, {}}}},
		{"under it: each at its own limit", 10, map[int][]messages.TurnOverPeers{
			0: {{OwnLimit: true}, {OwnLimit: true}}, 1: {{OwnLimit: true}, {OwnLimit: true}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				sys := actors.NewSystem(nil)
				var mu sync.Mutex
				told := map[int][]messages.TurnOverPeers{}
				set, err := settings.Default().With(map[string]any{"connections_limit": 100, "peer_turnover_interval": 100})
				if err != nil {
					t.Fatal(err)
				}
				s := &Actor{set: set, conns: actors.NewSlots(100), torrents: map[messages.InfoHash]*entry{}}
				for range tt.used {
					s.conns.Take()
				}
				for i, peers := range []int{20, 50, 0} {
					pid := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
						if m, ok := c.Message().(*messages.TurnOverPeers); ok {
							mu.Lock()
							told[i] = append(told[i], *m)
							mu.Unlock()
						}
					}))
					ih := messages.InfoHash{byte(i)}
					s.order = append(s.order, ih)
					s.torrents[ih] = &entry{pid: pid, last: &messages.TorrentStatsUpdate{NumPeers: peers}}
				}
				sess := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
					switch c.Message().(type) {
					case *actor.Started:
						turningOver{s}.arm(c, firstTurnover)
					case *turnoverWake:
						turningOver{s}.round(c)
					case *actor.Stopping:
						turningOver{s}.stop()
					}
				}))
				time.Sleep(firstTurnover - time.Second)
				synctest.Wait()
				mu.Lock()
				early := len(told)
				mu.Unlock()
				if early != 0 {
					t.Fatalf("told before 90 s: %v", told)
				}
				time.Sleep(101 * time.Second)
				synctest.Wait()
				_ = sys.Root.StopFuture(sess).Wait()
				mu.Lock()
				defer mu.Unlock()
				if len(told) != len(tt.want) {
					t.Fatalf("told %v, want %v", told, tt.want)
				}
				for i, w := range tt.want {
					if got := told[i]; len(got) != len(w) || got[0] != w[0] || got[1] != w[1] {
						t.Fatalf("torrent %d told %v, want %v", i, got, w)
					}
				}
				sys.Shutdown()
			})
		})
	}
}
