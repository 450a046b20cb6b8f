package announcer

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/internal/tracker/trackertest"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// The scripted tracker client (shared with the torrent's tests).
type (
	fakeClient = trackertest.Client
	call       = trackertest.Call
)

// torrentParent stands in for the torrent: it spawns the announcer and
// keeps what the announcer tells it.
type torrentParent struct {
	cfg   Config
	child chan *actor.PID
	mu    *sync.Mutex
	msgs  *[]any
}

// viaParent makes the parent send msg to the announcer as a request, so
// that replies come back to the parent.
type viaParent struct{ msg any }

func (p *torrentParent) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *actor.Started:
		p.child <- c.Spawn(p.cfg.Supervision.Configure(supervisor.KindAnnouncer, New(p.cfg)))
	case *messages.ChildFailed:
		// as the torrent does: the restarted announcer is told to announce
		c.Send(m.Child, &messages.StartAnnouncing{})
	case *viaParent:
		c.Request(c.Children()[0], m.msg)
	case *messages.TrackerPeers, *messages.AnnouncingStopped, *messages.TrackerSummary, *messages.TrackerTraffic:
		p.mu.Lock()
		*p.msgs = append(*p.msgs, m)
		p.mu.Unlock()
	}
}

// announceRig is an announcer under a parent stub in a synctest bubble.
type announceRig struct {
	sys    *actor.ActorSystem
	parent *actor.PID
	pid    *actor.PID
	client *fakeClient
	sink   *sink
	mu     sync.Mutex
	msgs   []any
}

func newAnnounceRig(t *testing.T, tiers [][]string, set tracker.Settings,
	answer func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error)) *announceRig {
	t.Helper()
	return newAnnounceRigWith(t, nil, tiers, set, answer)
}

// newAnnounceRigWith is newAnnounceRig with a session's supervision (its
// fault plan and the announcer's strategy).
func newAnnounceRigWith(t *testing.T, sup *supervisor.Supervision, tiers [][]string, set tracker.Settings,
	answer func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error)) *announceRig {
	t.Helper()
	client := &fakeClient{Start: time.Now(), Answer: answer}
	r := newAnnounceRigConfig(t, sup, TrackerConfig{Client: client, Tiers: tiers, List: set})
	r.client = client
	return r
}

// newAnnounceRigConfig runs an announcer with tc (its Client, tiers and
// list settings; the port and our address are the rig's).
func newAnnounceRigConfig(t *testing.T, sup *supervisor.Supervision, tc TrackerConfig) *announceRig {
	t.Helper()
	r := &announceRig{sys: actors.NewSystem(nil), sink: &sink{}}
	alerts := r.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return r.sink }))
	tc.Port, tc.LocalAddrs = 6881, []netip.Addr{netip.MustParseAddr("10.0.0.1")}
	cfg := Config{TrackerConfig: tc, Alerts: alerts, Supervision: sup}
	sup.BindAlerts(r.sys.Root, alerts)
	child := make(chan *actor.PID, 1)
	r.parent = r.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return &torrentParent{cfg: cfg, child: child, mu: &r.mu, msgs: &r.msgs}
	}, actor.WithSupervisor(sup.Strategy(supervisor.KindAnnouncer))))
	r.pid = <-child
	t.Cleanup(func() {
		_ = r.sys.Root.StopFuture(r.parent).Wait()
		_ = r.sys.Root.StopFuture(alerts).Wait()
		r.sys.Shutdown()
		time.Sleep(r.sys.Config.DeadLetterThrottleInterval + time.Second)
	})
	return r
}

func (r *announceRig) send(m any) { r.sys.Root.Send(r.pid, m) }

// advance lets virtual time run for d and everything settle.
func advance(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

func parentGot[T any](r *announceRig) []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []T
	for _, m := range r.msgs {
		if x, ok := m.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

func okReply(interval time.Duration, peers ...string) *tracker.AnnounceResponse {
	return trackertest.OK(interval, peers...)
}

func events(calls []call) string { return trackertest.Events(calls) }

// Started at once, then a regular announce every interval; peers go to
// the torrent without ourselves, and the summary names the tracker.
func TestAnnounceStartedThenInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newAnnounceRig(t, [][]string{{"http://a/ann"}}, tracker.Settings{},
			func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) {
				return okReply(30*time.Minute, "1.2.3.4:5000", "127.0.0.1:6881", "10.0.0.1:6881", "10.0.0.1:7000"), nil
			})
		r.send(&messages.StartAnnouncing{Stats: messages.AnnounceStats{Left: 100}})
		advance(time.Second)
		advance(2*time.Hour - time.Second)
		calls := r.client.Calls()
		if len(calls) != 5 || calls[0].Event != tracker.EventStarted || calls[0].At != 0 ||
			calls[1].Event != tracker.EventNone || calls[1].At != 30*time.Minute || calls[4].At != 2*time.Hour {
			t.Fatalf("calls: %s", events(calls))
		}
		if c := calls[0].Req; c.Left != 100 || c.NumWant != tracker.DefaultNumWant || c.Port != 6881 || !c.Compact {
			t.Errorf("request %+v", c)
		}
		peers := parentGot[*messages.TrackerPeers](r)
		if len(peers) == 0 || len(peers[0].Peers) != 2 || peers[0].Peers[0].String() != "1.2.3.4:5000" || peers[0].Peers[1].String() != "10.0.0.1:7000" {
			t.Fatalf("peers to the torrent: %v", peers)
		}
		sums := parentGot[*messages.TrackerSummary](r)
		last := sums[len(sums)-1]
		if last.CurrentTracker != "http://a/ann" || last.Interval != 30*time.Minute || last.NumComplete != 1 || last.NumIncomplete != 2 {
			t.Errorf("summary %+v", last)
		}
		if len(parentGot[*messages.TrackerTraffic](r)) != 5 {
			t.Errorf("traffic reports: %d", len(parentGot[*messages.TrackerTraffic](r)))
		}
	})
}

var errRefused = errors.New("connection refused")

// A failing tracker is retried after libtorrent's backoff, 5 s·(1 +
// 2.5·n²), and each failure is an alert with its count in a row.
func TestAnnounceBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newAnnounceRig(t, [][]string{{"http://dead/ann"}}, tracker.Settings{},
			func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) { return nil, errRefused })
		r.send(&messages.StartAnnouncing{})
		advance(10 * time.Minute)
		calls := r.client.Calls()
		want := []time.Duration{0}
		for n := 1; want[len(want)-1] < 10*time.Minute; n++ {
			want = append(want, want[len(want)-1]+tracker.Settings{}.Backoff(n))
		}
		want = want[:len(want)-1]
		if len(calls) != len(want) {
			t.Fatalf("calls %s, want at %v", events(calls), want)
		}
		for i := range want {
			if calls[i].At != want[i] {
				t.Errorf("call %d at %v, want %v", i, calls[i].At, want[i])
			}
		}
		var times []int
		for _, a := range r.sink.alerts {
			if e, ok := a.(*messages.TrackerErrorAlert); ok {
				times = append(times, e.TimesInRow)
			}
		}
		if len(times) != len(want) || times[len(times)-1] != len(want) {
			t.Errorf("tracker_error times_in_row %v", times)
		}
	})
}

// 150 dead trackers cost a bounded number of attempts: the attempt budget
// paces them, each gives up after its fail limit, and then nothing runs.
func TestAnnounceManyDeadTrackersDoNotSpin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var tier []string
		for i := range 150 {
			tier = append(tier, fmt.Sprintf("udp://dead%d:1", i))
		}
		r := newAnnounceRig(t, [][]string{tier}, tracker.Settings{},
			func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) { return nil, errRefused })
		r.send(&messages.StartAnnouncing{})
		advance(time.Minute)
		if n := len(r.client.Calls()); n > tracker.DefaultAttemptBurst+13 {
			t.Fatalf("%d attempts in the first minute", n)
		}
		advance(24 * time.Hour)
		n := len(r.client.Calls())
		if n > 150*tracker.DefaultMaxFailCount {
			t.Fatalf("%d attempts in a day", n)
		}
		advance(24 * time.Hour)
		if m := len(r.client.Calls()); m != n {
			t.Fatalf("%d more attempts after every tracker gave up", m-n)
		}
	})
}

// Stop sends stopped (num_want 0) to the tracker that knows us and answers
// the requester; a paused torrent announces nothing more.
func TestAnnounceStoppedOnStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newAnnounceRig(t, [][]string{{"http://a/ann"}}, tracker.Settings{},
			func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) {
				return okReply(30 * time.Minute), nil
			})
		r.send(&messages.StartAnnouncing{})
		advance(time.Minute)
		r.sys.Root.Send(r.parent, &viaParent{&messages.StopAnnouncing{}})
		advance(time.Second)
		calls := r.client.Calls()
		if len(calls) != 2 || calls[1].Event != tracker.EventStopped || calls[1].Req.NumWant != 0 {
			t.Fatalf("calls: %s", events(calls))
		}
		if len(parentGot[*messages.AnnouncingStopped](r)) != 1 {
			t.Fatal("stop not answered")
		}
		advance(5 * time.Hour)
		if n := len(r.client.Calls()); n != 2 {
			t.Fatalf("stopped announcer announced again: %s", events(r.client.Calls()))
		}
		// resume: started again
		r.send(&messages.StartAnnouncing{})
		advance(time.Second)
		if c := r.client.Calls(); len(c) != 3 || c[2].Event != tracker.EventStarted {
			t.Fatalf("calls: %s", events(c))
		}
	})
}

// A tracker that never answers the stopped announce does not hold the
// requester past stop_tracker_timeout.
func TestAnnounceStopBoundedByTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		started := false
		r := newAnnounceRig(t, [][]string{{"http://a/ann"}}, tracker.Settings{},
			func(_ string, req tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) {
				if req.Event == tracker.EventStopped && started {
					return nil, nil // hang
				}
				started = true
				return okReply(30 * time.Minute), nil
			})
		r.send(&messages.StartAnnouncing{})
		advance(time.Second)
		t0 := time.Now()
		r.sys.Root.Send(r.parent, &viaParent{&messages.StopAnnouncing{}})
		for len(parentGot[*messages.AnnouncingStopped](r)) == 0 {
			advance(100 * time.Millisecond)
		}
		if d := time.Since(t0); d > 5*time.Second+time.Millisecond {
			t.Fatalf("stop answered after %v", d)
		}
	})
}

// ForceReannounce announces at once (after the 30 s min interval), and
// completed goes out when the download finishes.
func TestAnnounceForceAndCompleted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newAnnounceRig(t, [][]string{{"http://a/ann"}}, tracker.Settings{},
			func(string, tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) {
				return okReply(30 * time.Minute), nil
			})
		r.send(&messages.StartAnnouncing{Stats: messages.AnnounceStats{Left: 10}})
		advance(time.Minute)
		r.send(&messages.ForceReannounce{})
		advance(time.Second)
		r.send(&messages.AnnounceStats{Left: 0, Downloaded: 10})
		r.send(&messages.AnnounceCompleted{})
		advance(time.Second)
		calls := r.client.Calls()
		if len(calls) != 3 || calls[1].At != time.Minute || calls[1].Event != tracker.EventNone ||
			calls[2].Event != tracker.EventCompleted || calls[2].Req.Left != 0 || calls[2].Req.Downloaded != 10 {
			t.Fatalf("calls: %s", events(calls))
		}
	})
}

// Tier 0 dead, tier 1 works: the walk fails over and the torrent gets
// tier 1's peers; Trackers shows both.
func TestAnnounceFailoverToNextTier(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newAnnounceRig(t, [][]string{{"http://dead/ann", "http://garbage/ann"}, {"udp://good:1"}}, tracker.Settings{},
			func(url string, _ tracker.AnnounceRequest) (*tracker.AnnounceResponse, error) {
				switch url {
				case "http://dead/ann":
					return nil, errRefused
				case "http://garbage/ann":
					return nil, tracker.ErrInvalidResponse
				}
				return okReply(30*time.Minute, "1.2.3.4:1"), nil
			})
		r.send(&messages.StartAnnouncing{})
		advance(time.Minute)
		if len(parentGot[*messages.TrackerPeers](r)) == 0 {
			t.Fatalf("no peers; calls %s", events(r.client.Calls()))
		}
		res, err := r.sys.Root.RequestFuture(r.pid, &messages.GetTrackers{}, time.Second).Result()
		if err != nil {
			t.Fatal(err)
		}
		ts := res.(*messages.GetTrackersReply).Trackers
		if len(ts) != 3 || ts[2].URL != "udp://good:1" || !ts[2].Working || ts[0].Working || ts[0].Fails == 0 {
			t.Fatalf("trackers %+v", ts)
		}
	})
}
