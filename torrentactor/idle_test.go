package torrentactor

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/diskactor"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// idleRig is a torrent whose received messages, and those it sends the
// session, are recorded by probes.
type idleRig struct {
	*rig
	pid     *actor.PID
	torrent *actors.Probe // what the torrent handled
	session *actors.Probe // what it sent the session
	peers   *fakePeers
}

// newIdleRig spawns a torrent of one 100 KiB file; seed makes it seed
// (seed mode), else it has nothing and downloads. It returns once the
// torrent is past its check (or, paused, put it off).
func newIdleRig(t *testing.T, flags messages.AddTorrentFlags, seed bool) *idleRig {
	r := &idleRig{rig: newRig(t), torrent: &actors.Probe{}, session: &actors.Probe{}, peers: &fakePeers{up: map[string]bool{}}}
	src := t.TempDir()
	meta := makeMeta(t, src, "a.bin", 100<<10, 16<<10)
	save := t.TempDir()
	if seed {
		save, flags = src, flags|messages.FlagSeedMode
	}
	session := r.sys.Root.Spawn(actor.PropsFromFunc(func(actor.Context) {}, actor.WithReceiverMiddleware(r.session.Middleware())))
	disk := r.sys.Root.Spawn(diskactor.New(diskactor.Config{Settings: withSettings(map[string]any{"hashing_threads": 2})}))
	cfg := Config{Meta: meta, SavePath: save, Flags: flags, PeerProps: r.peers.props, Session: session, Disk: disk, Alerts: r.alerts}
	r.pid = r.sys.Root.Spawn(New(cfg).Configure(actor.WithReceiverMiddleware(r.torrent.Middleware())))
	r.stop = append(r.stop, session, disk, r.pid)
	r.waitStatus(r.pid, "checked (or its check put off)", func(s *messages.TorrentStatus) bool {
		return s.State == messages.StateDownloading || s.State == messages.StateSeeding ||
			(s.Paused && s.State == messages.StateCheckingFiles)
	})
	synctest.Wait()
	return r
}

func count[T any](p *actors.Probe) int {
	n := 0
	for _, m := range p.Messages() {
		if _, ok := m.(T); ok {
			n++
		}
	}
	return n
}

// An idle torrent — paused, or started with no peers and nothing to
// connect to — handles no message and sends the session none over ten
// minutes: no tick, no report.
func TestIdleTorrentGetsNoTicks(t *testing.T) {
	for _, c := range []struct {
		name  string
		flags messages.AddTorrentFlags
		seed  bool
	}{
		{"paused", messages.FlagPaused, false},
		{"paused seed", messages.FlagPaused, true},
		{"started without peers", 0, false},
		{"seeding without peers", 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newIdleRig(t, c.flags, c.seed)
				advance(2 * time.Second) // a last report, if any, is out
				handled, sent := len(r.torrent.Messages()), len(r.session.Messages())
				advance(10 * time.Minute)
				if n := len(r.torrent.Messages()) - handled; n != 0 {
					t.Errorf("the torrent handled %d messages over 10 idle minutes, want 0: %T…", n, r.torrent.Messages()[handled])
				}
				if n := len(r.session.Messages()) - sent; n != 0 {
					t.Errorf("the session got %d messages over 10 idle minutes, want 0", n)
				}
			})
		})
	}
}

// The tick comes back when a peer connects, stops when the torrent
// pauses (after one last report, its rates zero), and comes back when it
// resumes and connects again.
func TestTickFollowsWork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newIdleRig(t, 0, false)
		r.peers.up["10.0.0.1:1"] = true
		ticks := func() int { return count[*tick](r.torrent) }
		reports := func() int { return count[*messages.TorrentStatsUpdate](r.session) }
		t0, rep0 := ticks(), reports()

		r.sys.Root.Send(r.pid, trackerPeers("10.0.0.1:1"))
		advance(5*time.Second + time.Millisecond)
		if n := ticks() - t0; n != 5 {
			t.Fatalf("%d ticks in the 5 s after a peer connected, want 5", n)
		}
		if n := reports() - rep0; n != 5 {
			t.Fatalf("%d reports in those 5 s, want 5", n)
		}

		r.sys.Root.Send(r.pid, &messages.PauseTorrent{})
		advance(time.Millisecond)
		t1, rep1 := ticks(), reports()
		if rep1 != rep0+6 {
			t.Fatalf("%d reports after the pause, want the last one (6 in all)", rep1-rep0)
		}
		last := r.session.Messages()
		for i := len(last) - 1; i >= 0; i-- {
			if u, ok := last[i].(*messages.TorrentStatsUpdate); ok {
				if u.NumPeers != 0 || u.DownloadRate != 0 || u.UploadRate != 0 {
					t.Fatalf("the last report says %d peers, rates %d/%d; want none", u.NumPeers, u.DownloadRate, u.UploadRate)
				}
				break
			}
		}
		advance(10 * time.Minute)
		if ticks() != t1 || reports() != rep1 {
			t.Fatalf("paused: %d ticks and %d reports over 10 minutes, want none", ticks()-t1, reports()-rep1)
		}

		r.sys.Root.Send(r.pid, &messages.ResumeTorrent{})
		advance(3*time.Second + time.Millisecond)
		if n := ticks() - t1; n != 3 {
			t.Fatalf("%d ticks in the 3 s after resuming (the peer connected again), want 3", n)
		}
		if st := r.status(r.pid); st.NumPeers != 1 {
			t.Fatalf("num_peers = %d after resuming, want 1", st.NumPeers)
		}
	})
}

// A peer that failed is tried again when its reconnect wait ends, by a
// wake-up armed for that moment: no tick runs while it waits.
func TestReconnectWaitArmsOneWake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newIdleRig(t, 0, false)
		r.sys.Root.Send(r.pid, trackerPeers("10.0.0.1:1")) // refused at once
		advance(time.Second)
		if n := len(r.peers.dialed()); n != 1 {
			t.Fatalf("dialed %d times, want 1", n)
		}
		t0 := count[*tick](r.torrent)
		advance(time.Minute - 2*time.Second) // min_reconnect_time 60 s × 1 failure
		if n := count[*tick](r.torrent) - t0; n != 0 {
			t.Fatalf("%d ticks while the peer's wait ran, want 0", n)
		}
		advance(2 * time.Second)
		if n := len(r.peers.dialed()); n != 2 {
			t.Fatalf("dialed %d times after the wait, want 2", n)
		}
		if n := count[*tick](r.torrent) - t0; n != 1 {
			t.Fatalf("%d ticks for the retry, want the one wake-up", n)
		}
	})
}

// active_time, finished_time and seeding_time stay exact across idle
// periods with no tick: they count running time to the nanosecond,
// paused time not at all.
func TestTimesExactWithoutTicks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newIdleRig(t, 0, true)
		times := func() [3]time.Duration {
			s := r.status(r.pid)
			return [3]time.Duration{s.ActiveTime, s.FinishedTime, s.SeedingTime}
		}
		want := func(step string, from [3]time.Duration, d time.Duration) [3]time.Duration {
			t.Helper()
			got := times()
			for i, name := range []string{"active", "finished", "seeding"} {
				if got[i]-from[i] != d {
					t.Errorf("%s: %s_time grew by %v, want %v", step, name, got[i]-from[i], d)
				}
			}
			return got
		}
		start := times()
		advance(10 * time.Minute)
		at := want("10 idle minutes seeding", start, 10*time.Minute)
		r.sys.Root.Send(r.pid, &messages.PauseTorrent{})
		advance(7 * time.Minute)
		at = want("7 minutes paused", at, 0)
		r.sys.Root.Send(r.pid, &messages.ResumeTorrent{})
		synctest.Wait()
		advance(3*time.Minute + 250*time.Millisecond)
		want("resumed", at, 3*time.Minute+250*time.Millisecond)
	})
}

// Tracker traffic of an idle torrent reaches the session at once, and a
// second later a report zeroes it (the session shows the last report's
// tracker bytes as the rate); then nothing.
func TestIdleTrackerTrafficReportedThenZeroed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newIdleRig(t, 0, false)
		advance(2 * time.Second)
		before := len(r.session.Messages())
		r.sys.Root.Send(r.pid, &messages.TrackerTraffic{Upload: 300, Download: 700})
		advance(10 * time.Minute)
		var got [][2]int64
		for _, m := range r.session.Messages()[before:] {
			if u, ok := m.(*messages.TorrentStatsUpdate); ok {
				got = append(got, [2]int64{u.TrackerUpload, u.TrackerDownload})
			}
		}
		if want := [][2]int64{{300, 700}, {0, 0}}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("reports of tracker bytes %v, want %v", got, want)
		}
	})
}

// A torrent added paused without resume data is not checked until it is
// resumed (libtorrent's rule): it stays in checking_files with no piece
// and refuses to save resume data it cannot know; resumed, it checks its
// files and seeds. An auto-managed one is checked at once.
func TestPausedTorrentChecksWhenResumed(t *testing.T) {
	for _, c := range []struct {
		name     string
		flags    messages.AddTorrentFlags
		deferred bool
	}{
		{"paused", messages.FlagPaused, true},
		{"paused auto-managed", messages.FlagPaused | messages.FlagAutoManaged, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t)
				src := t.TempDir()
				pid := r.torrent(makeMeta(t, src, "a.bin", 100<<10, 16<<10), src, c.flags, 1, nil)
				advance(10 * time.Second)
				st := r.status(pid)
				if got := st.State == messages.StateCheckingFiles && st.NumPieces == 0; got != c.deferred {
					t.Fatalf("after 10 s paused: state %v, %d pieces; check put off %v, want %v", st.State, st.NumPieces, got, c.deferred)
				}
				if !c.deferred {
					return
				}
				r.sys.Root.Send(pid, &messages.SaveResumeData{})
				r.sink.waitAlert(t, "save_resume_data_failed", func(a messages.Alert) bool {
					_, ok := a.(*messages.SaveResumeDataFailedAlert)
					return ok
				})
				r.sys.Root.Send(pid, &messages.ResumeTorrent{})
				r.waitStatus(pid, "seeding after the check", func(s *messages.TorrentStatus) bool {
					return s.State == messages.StateSeeding && s.NumPieces == 7
				})
			})
		})
	}
}
