package sessionactor

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/torrentactor"
	"github.com/asynkron/protoactor-go/actor"
)

// The auto-manage queue as the session runs it, in virtual time: fake
// torrents (TorrentProps) download at a rate of their own while the
// session lets them run, and report their stats every second as real
// torrents do.

// fakeTorrent downloads size bytes at rate while it runs.
type fakeTorrent struct {
	ih      messages.InfoHash
	size    int64
	rate    func(now time.Duration) int64 // bytes a second, by time since the test began
	log     *queueLog
	running bool
	paused  bool // its own flag (the queue's or the user's)
	sPaused bool // the session's pause
	done    int64
	last    time.Time // progress is counted up to here
	state   messages.TorrentState
	stop    func()
}

// queueLog records when each torrent started, stopped and finished.
type queueLog struct {
	mu     sync.Mutex
	t0     time.Time
	events []string
	active map[messages.InfoHash]bool
	peak   int // most torrents downloading at once
	pos    map[messages.InfoHash]int
}

func (l *queueLog) add(ih messages.InfoHash, what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, fmt.Sprintf("%s %d %s", time.Since(l.t0).Truncate(time.Second), ih[0], what))
}

func (l *queueLog) setActive(ih messages.InfoHash, on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.active[ih] = on
	n := 0
	for _, a := range l.active {
		if a {
			n++
		}
	}
	l.peak = max(l.peak, n)
}

type fakeTick struct{}

func (f *fakeTorrent) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		f.paused = true // added paused: the queue starts it
		f.state = messages.StateDownloading
		f.stop = actors.SendRepeatedly(ctx, time.Second, time.Second, ctx.Self(), &fakeTick{})
		ctx.Send(ctx.Parent(), &messages.TorrentStateUpdate{InfoHash: f.ih, State: f.state})
	case *messages.ResumeTorrent:
		f.paused = false
		f.sync()
	case *messages.PauseTorrent:
		f.paused = true
		f.sync()
	case *messages.SessionPausedChanged:
		f.sPaused = m.Paused
		f.sync()
	case *messages.QueuePositionChanged:
		f.log.mu.Lock()
		f.log.pos[f.ih] = m.Pos
		f.log.mu.Unlock()
	case *fakeTick:
		rate := int64(0)
		if f.running && f.state == messages.StateDownloading {
			// by the time run, not the ticks: two torrents started
			// together progress together whatever their tick phases
			rate = f.rate(time.Since(f.log.t0))
			f.done += int64(float64(rate) * time.Since(f.last).Seconds())
			f.last = time.Now()
			if f.done >= f.size {
				f.state = messages.StateSeeding
				f.log.add(f.ih, "finished")
				f.log.setActive(f.ih, false)
			}
		}
		ctx.Send(ctx.Parent(), &messages.TorrentStatsUpdate{
			InfoHash: f.ih, State: f.state, PayloadDownloadRate: int(rate),
			AllTimeDownload: f.done, TotalWanted: f.size, NumComplete: -1, NumIncomplete: -1,
		})
	case *messages.RemoveTorrent:
		f.stop()
		ctx.Stop(ctx.Self())
	}
}

// sync starts or stops the torrent to match its flags.
func (f *fakeTorrent) sync() {
	run := !f.paused && !f.sPaused
	if run == f.running {
		return
	}
	f.running = run
	f.last = time.Now()
	if run {
		f.log.add(f.ih, "started")
	} else {
		f.log.add(f.ih, "stopped")
	}
	f.log.setActive(f.ih, run && f.state == messages.StateDownloading)
}

type noTrackers struct{}

func (noTrackers) Announce(context.Context, string, tracker.AnnounceRequest) (tracker.AnnounceResponse, error) {
	return tracker.AnnounceResponse{}, nil
}

func (noTrackers) Scrape(context.Context, string, [20]byte) (tracker.ScrapeResponse, error) {
	return tracker.ScrapeResponse{}, nil
}

// queueSession starts a session whose torrents are fakes with the given
// rates, adds n auto-managed torrents of size bytes, and returns it.
func queueSession(t *testing.T, values map[string]any, n int, size int64, rate func(i int, now time.Duration) int64) (*actor.ActorSystem, *actor.PID, *queueLog) {
	t.Helper()
	values["listen_interfaces"] = "" // no sockets in a synctest bubble
	set, err := settings.Default().With(values)
	if err != nil {
		t.Fatal(err)
	}
	log := &queueLog{t0: time.Now(), active: map[messages.InfoHash]bool{}, pos: map[messages.InfoHash]int{}}
	sys := actors.NewSystem(nil)
	cfg := Config{Settings: set, TrackerClient: noTrackers{}, TorrentProps: func(tc torrentactor.Config) *actor.Props {
		i := int(tc.InfoHash[0])
		return actor.PropsFromProducer(func() actor.Actor {
			return &fakeTorrent{ih: tc.InfoHash, size: size, log: log, rate: func(d time.Duration) int64 { return rate(i, d) }}
		})
	}}
	pid := sys.Root.Spawn(New(cfg))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := actors.Request(ctx, sys.Root, pid, &messages.CloseSession{}); err != nil {
			t.Errorf("close: %v", err)
		}
		_ = sys.Root.StopFuture(pid).Wait()
		sys.Shutdown()
		// A dead letter while stopping keeps protoactor's throttle ticker
		// for its interval: the bubble must not end before it fires.
		time.Sleep(sys.Config.DeadLetterThrottleInterval + time.Millisecond)
	})
	for i := range n {
		var ih messages.InfoHash
		ih[0], ih[19] = byte(i), 1
		r := request(t, sys, pid, &messages.AddTorrent{InfoHash: ih, Name: fmt.Sprint(i), SavePath: t.TempDir(),
			Flags: messages.FlagAutoManaged | messages.FlagPaused})
		if e := r.(*messages.AddTorrentReply).Err; e != nil {
			t.Fatal(e)
		}
	}
	return sys, pid, log
}

// Ten torrents with two download slots start and finish in queue order,
// never more than two at once.
func TestQueueStartsAndFinishesInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, _, log := queueSession(t, map[string]any{"active_downloads": 2, "active_seeds": -1}, 10, 100_000,
			func(int, time.Duration) int64 { return 10_000 })
		time.Sleep(3 * time.Minute)
		synctest.Wait()
		log.mu.Lock()
		defer log.mu.Unlock()
		started, finished := map[int]time.Duration{}, map[int]time.Duration{}
		for _, e := range log.events {
			var at string
			var i int
			var what string
			fmt.Sscanf(e, "%s %d %s", &at, &i, &what)
			d, _ := time.ParseDuration(at)
			switch what {
			case "started":
				if _, ok := started[i]; !ok {
					started[i] = d
				}
			case "finished":
				finished[i] = d
			case "stopped":
				t.Fatalf("torrent %d stopped: %v", i, log.events)
			}
		}
		if len(finished) != 10 {
			t.Fatalf("%d finished in 3 min: %v", len(finished), log.events)
		}
		for k := 1; k < 10; k++ {
			if started[k] < started[k-1] || finished[k] < finished[k-1] {
				t.Fatalf("torrent %d started or finished before %d: %v", k, k-1, log.events)
			}
		}
		if started[2] < finished[0] {
			t.Fatalf("torrent 2 started before a slot was free: %v", log.events)
		}
		if log.peak > 2 {
			t.Fatalf("%d downloading at once with active_downloads 2: %v", log.peak, log.events)
		}
	})
}

// A torrent that stays slow (below inactive_down_rate past
// auto_manage_startup) does not hold a download slot: the next one starts
// while it still runs.
func TestQueueSlowTorrentDoesNotHoldASlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, _, log := queueSession(t, map[string]any{"active_downloads": 1}, 2, 1_000_000,
			func(i int, _ time.Duration) int64 {
				if i == 0 {
					return 100 // under inactive_down_rate (2048)
				}
				return 10_000
			})
		time.Sleep(30 * time.Second)
		synctest.Wait()
		log.mu.Lock()
		early := append([]string(nil), log.events...)
		log.mu.Unlock()
		if len(early) != 1 || !strings.HasSuffix(early[0], " 0 started") {
			t.Fatalf("first 30 s: %v (want only torrent 0 started)", early)
		}
		time.Sleep(90 * time.Second) // past auto_manage_startup and the next pass
		synctest.Wait()
		log.mu.Lock()
		defer log.mu.Unlock()
		want := map[string]bool{"0 started": false, "1 started": false}
		for _, e := range log.events {
			var at, what string
			var i int
			fmt.Sscanf(e, "%s %d %s", &at, &i, &what)
			if what == "stopped" {
				t.Fatalf("torrent %d stopped: %v", i, log.events)
			}
			want[fmt.Sprintf("%d %s", i, what)] = true
		}
		if !want["0 started"] || !want["1 started"] {
			t.Fatalf("both should run, the slow one without a slot: %v", log.events)
		}
	})
}
