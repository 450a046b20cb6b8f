package dhtactor

import (
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// memNode starts a node on the in-memory network; sockets counts the
// sockets it opened.
func memNode(t *testing.T, sys *actor.ActorSystem, mn *memNet, alerts *actor.PID, sup *supervisor.Supervision, sockets *[]*memConn, routers ...string) *actor.PID {
	cfg := Config{
		Socket: func() (net.PacketConn, error) {
			c := mn.listen()
			*sockets = append(*sockets, c)
			return c, nil
		},
		Alerts: alerts, Supervision: sup, Params: testParams(routers...), Settings: dhtstate.DefaultSettings(),
	}
	pid := sys.Root.Spawn(New(cfg).Configure(actor.WithGuardian(sup.Strategy(supervisor.KindDHT))))
	t.Cleanup(func() { sys.Root.StopFuture(pid).Wait() })
	return pid
}

// replyTimes are when the node's lookups ended (dht_reply), from start.
func replyTimes(p *actors.Probe, start time.Time) []time.Duration {
	var out []time.Duration
	for _, m := range p.Messages() {
		if pa, ok := m.(*messages.PostAlert); ok {
			if r, ok := pa.Alert.(*messages.DHTReplyAlert); ok {
				out = append(out, r.At.Sub(start))
			}
		}
	}
	return out
}

// checkTimes compares when lookups ended with when they were due (a
// lookup takes a little virtual time: its queries' round trips).
func checkTimes(t *testing.T, got, want []time.Duration) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("lookups ended at %v, want about %v", got, want)
	}
	for i := range want {
		if d := got[i] - want[i]; d < 0 || d > 3*time.Second {
			t.Fatalf("lookups ended at %v, want about %v", got, want)
		}
	}
}

// The announce schedule in virtual time, a torrent nobody else has: it
// looks up peers at once, finds none (the router does not give a node its
// own announce back) and tries again after 5 s, doubling the wait up to
// the interval (a minute here).
func TestAnnounceScheduleBacksOffWhileNobodyIsFound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := actors.NewSystem(zap.NewNop())
		alerts, ap := spawnSink(t, sys)
		torrent, _ := spawnSink(t, sys)
		mn := newMemNet()
		var rs, ns []*memConn
		memNode(t, sys, mn, alerts, nil, &rs)
		synctest.Wait()
		node := memNode(t, sys, mn, alerts, nil, &ns, rs[0].addr.String())
		synctest.Wait()
		start := time.Now()
		sys.Root.Send(node, &messages.DHTTorrentWanted{InfoHash: messages.InfoHash{7}, Torrent: torrent, Want: true})
		time.Sleep(140 * time.Second)
		synctest.Wait()
		checkTimes(t, replyTimes(ap, start), []time.Duration{0, 5 * time.Second, 15 * time.Second, 35 * time.Second, 75 * time.Second, 135 * time.Second})
	})
}

// A torrent whose lookups find peers announces every interval; a forced
// announce runs at once and the interval counts from it.
func TestAnnounceScheduleEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := actors.NewSystem(zap.NewNop())
		alerts, _ := spawnSink(t, sys)
		leechAlerts, ap := spawnSink(t, sys)
		torrent, tp := spawnSink(t, sys)
		mn := newMemNet()
		var rs, ss, ls []*memConn
		memNode(t, sys, mn, alerts, nil, &rs)
		synctest.Wait()
		ih := messages.InfoHash{8}
		seeder := memNode(t, sys, mn, alerts, nil, &ss, rs[0].addr.String())
		sys.Root.Send(seeder, &messages.DHTTorrentWanted{InfoHash: ih, Torrent: torrent, Want: true})
		time.Sleep(time.Second) // its lookup and announce end
		synctest.Wait()
		node := memNode(t, sys, mn, leechAlerts, nil, &ls, rs[0].addr.String())
		synctest.Wait()
		start := time.Now()
		sys.Root.Send(node, &messages.DHTTorrentWanted{InfoHash: ih, Torrent: torrent, Want: true})
		time.Sleep(90 * time.Second)
		sys.Root.Send(node, &messages.ForceDHTAnnounce{InfoHash: ih})
		time.Sleep(65 * time.Second)
		synctest.Wait()
		checkTimes(t, replyTimes(ap, start), []time.Duration{0, 60 * time.Second, 90 * time.Second, 150 * time.Second})
		if len(tp.Messages()) == 0 {
			t.Fatal("the torrent was given no peer")
		}
	})
}

// A read error the node did not cause (its socket broke) does not reach
// the library's read loop (which would panic the process): the node posts
// dht_error, fails, and is restarted on a new socket after its backoff.
func TestBrokenSocketRestartsTheNode(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := actors.NewSystem(zap.NewNop())
		alerts, ap := spawnSink(t, sys)
		sup, err := supervisor.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		mn := newMemNet()
		var socks []*memConn
		memNode(t, sys, mn, alerts, sup, &socks)
		synctest.Wait()
		socks[0].fail <- net.UnknownNetworkError("broken")
		time.Sleep(2 * time.Second) // past the first restart's backoff
		synctest.Wait()
		if len(socks) != 2 {
			t.Fatalf("%d sockets opened, want 2 (one after the restart)", len(socks))
		}
		if st := sup.Status().Kinds[supervisor.KindDHT]; st.Restarts != 1 {
			t.Fatalf("dht kind: %+v", st)
		}
		errs := 0
		for _, m := range ap.Messages() {
			if pa, ok := m.(*messages.PostAlert); ok {
				if _, ok := pa.Alert.(*messages.DHTErrorAlert); ok {
					errs++
				}
			}
		}
		if errs != 1 {
			t.Fatalf("%d dht_error alerts", errs)
		}
		select {
		case <-socks[0].closed:
		default:
			t.Fatal("the broken socket was not closed")
		}
	})
}
