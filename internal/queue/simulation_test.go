package queue

import (
	"slices"
	"testing"
	"time"
)

// sim drives a Queue the way the session actor will, in virtual time:
// each second running torrents move bytes at their rate and report it,
// a torrent that has every byte reports StateSeeding, and Decide runs
// whenever Next is reached. No goroutines, no clock.
type sim struct {
	t    *testing.T
	q    *Queue[int]
	now  time.Time
	size int64
	rate func(id int, now time.Time) int64 // bytes/s while it runs
	have map[int]int64

	started, finished []int // in the order it happened
	startedAt         map[int]time.Time
	finishedAt        map[int]time.Time
}

func newSim(t *testing.T, s Settings, n int, size int64, rate func(int, time.Time) int64) *sim {
	return &sim{
		t:          t,
		q:          newQueue(s, n, Torrent{AutoManaged: true, Paused: true, State: StateDownloading}),
		now:        t0,
		size:       size,
		rate:       rate,
		have:       make(map[int]int64),
		startedAt:  make(map[int]time.Time),
		finishedAt: make(map[int]time.Time),
	}
}

// step runs one second: the transfer of the second that ended at now, the
// reports, then the pass if due.
func (s *sim) step() {
	s.t.Helper()
	q := s.q
	// Torrents that finish in the same second report in queue order, as
	// any order would do for the queue.
	running := runningIDs(q)
	slices.SortFunc(running, func(a, b int) int { return q.Position(a) - q.Position(b) })
	for _, id := range running {
		if q.torrents[id].state != StateDownloading {
			q.Observe(s.now, id, Stats{Size: s.size, TotalDownload: s.size})
			continue
		}
		r := s.rate(id, s.now)
		s.have[id] = min(s.have[id]+r, s.size)
		q.Observe(s.now, id, Stats{DownloadRate: r, TotalDownload: s.have[id], Size: s.size})
		if s.have[id] == s.size {
			q.SetState(s.now, id, StateSeeding)
			s.finished = append(s.finished, id)
			s.finishedAt[id] = s.now
		}
	}
	if next := q.Next(s.now); next.After(s.now) {
		if next.Before(s.now.Add(time.Second)) {
			s.t.Fatalf("at %v Next is %v, between two steps", s.now.Sub(t0), next.Sub(t0))
		}
	} else {
		d := q.Decide(s.now)
		checkInvariants(s.t, q)
		checkLimits(s.t, q)
		for _, id := range d.Start {
			if _, ok := s.startedAt[id]; !ok {
				s.started = append(s.started, id)
				s.startedAt[id] = s.now
			}
		}
	}
	s.now = s.now.Add(time.Second)
}

// downloads returns the torrents downloading now and how many of them
// are inactive.
func (s *sim) downloads() (running []int, inactive int) {
	for _, id := range runningIDs(s.q) {
		if s.q.torrents[id].state == StateDownloading {
			running = append(running, id)
			if s.q.Inactive(id) {
				inactive++
			}
		}
	}
	return running, inactive
}

// TestSimulationQueueOrder: ten torrents, two download slots. The queue is
// reversed before the first pass; each torrent downloads faster the
// earlier it is in the queue. They start and finish in queue order, two
// at a time, each one starting within a second of a slot freeing.
func TestSimulationQueueOrder(t *testing.T) {
	st := DefaultSettings()
	st.ActiveDownloads, st.ActiveSeeds = 2, -1
	const n, size = 10, 3 << 20
	var s *sim
	s = newSim(t, st, n, size, func(id int, _ time.Time) int64 {
		return int64(200<<10 - s.q.Position(id)*10<<10)
	})
	for id := range n {
		s.q.Top(id) // queue: 9, 8, ..., 0
	}
	for len(s.finished) < n && s.now.Before(at(3600)) {
		s.step()
		if len(s.finished) < n-1 {
			if running, _ := s.downloads(); s.q.lastPass.Equal(s.now.Add(-time.Second)) && len(running) != 2 {
				t.Fatalf("at %v after a pass %v download, want 2", s.now.Sub(t0), running)
			}
		}
	}
	want := []int{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}
	if !slices.Equal(s.started, want) {
		t.Fatalf("start order %v, want %v", s.started, want)
	}
	if !slices.Equal(s.finished, want) {
		t.Fatalf("finish order %v, want %v", s.finished, want)
	}
	for k := 2; k < n; k++ {
		freed := s.finishedAt[want[k-2]]
		if wait := s.startedAt[want[k]].Sub(freed); wait > time.Second {
			t.Fatalf("%d started %v after %d freed its slot", want[k], wait, want[k-2])
		}
	}
	for id := range n {
		if s.q.Position(id) != -1 || !s.q.Running(id) {
			t.Fatalf("finished torrent %d: position %d, running %v", id, s.q.Position(id), s.q.Running(id))
		}
	}
}

// TestSimulationSlowTorrent: eleven torrents, two download slots; the
// second loses its peers at 10 s and finds them again at 200 s. Past the
// 60 s grace it is inactive: it runs on without a slot and the third in
// the queue starts. Back above the threshold for 60 s it is active again,
// takes back a slot as the front of the queue, and everything finishes.
func TestSimulationSlowTorrent(t *testing.T) {
	st := DefaultSettings()
	st.ActiveDownloads, st.ActiveSeeds = 2, -1
	const n, size = 11, 20 << 20 // 205 s at 100 KiB/s
	s := newSim(t, st, n, size, func(id int, now time.Time) int64 {
		if id == 1 && !now.Before(at(10)) && now.Before(at(200)) {
			return 1000 // below the default 2048 B/s
		}
		return 100 << 10
	})
	check := func(until float64, want func(running []int, inactive int) bool, what string) {
		t.Helper()
		for s.now.Before(at(until)) {
			s.step()
			if running, inactive := s.downloads(); !want(running, inactive) {
				t.Fatalf("at %v: %v download, %d inactive: want %s", s.now.Sub(t0)-time.Second, running, inactive, what)
			}
		}
	}
	check(70, func(r []int, _ int) bool { return len(r) == 2 && slices.Contains(r, 1) }, "1 holding a slot within its grace")
	check(71, func(r []int, in int) bool { return len(r) == 3 && in == 1 && s.q.Inactive(1) }, "1 inactive and a third torrent started")
	if got := s.started; !slices.Equal(got, []int{0, 1, 2}) {
		t.Fatalf("started %v, want 0, 1, then 2 in 1's slot", got)
	}
	if s.startedAt[2] != at(70) {
		t.Fatalf("2 started at %v, want at the end of 1's grace (70 s)", s.startedAt[2].Sub(t0))
	}
	check(260, func(r []int, in int) bool { return in == 1 && len(r) == 3 }, "1 inactive beside two downloads")
	// 0 finished at 205 s and 3 took its slot; 1, at the front of the
	// queue now, takes a slot back from the last one.
	check(261, func(r []int, in int) bool { return in == 0 && slices.Equal(r, []int{1, 2}) && s.q.Queued(3) }, "1 active again in 3's slot")
	for len(s.finished) < n && s.now.Before(at(3600)) {
		s.step()
	}
	if len(s.finished) != n {
		t.Fatalf("finished %v by %v", s.finished, s.now.Sub(t0))
	}
	others := slices.DeleteFunc(slices.Clone(s.started), func(id int) bool { return id == 1 })
	if want := []int{0, 2, 3, 4, 5, 6, 7, 8, 9, 10}; !slices.Equal(others, want) {
		t.Fatalf("start order of the others %v, want the queue's", others)
	}
}

// TestSimulationActiveLimit: active_limit caps downloads and seeds
// together, inactive torrents count against it, and downloads get slots
// before seeds (auto_manage_prefer_seeds off).
func TestSimulationActiveLimit(t *testing.T) {
	st := DefaultSettings()
	st.ActiveDownloads, st.ActiveSeeds, st.ActiveLimit = 3, 3, 4
	const n, size = 8, 1 << 20
	s := newSim(t, st, n, size, func(id int, _ time.Time) int64 {
		if id == 0 {
			return 0 // never gets a peer
		}
		return 100 << 10
	})
	for s.now.Before(at(600)) {
		s.step()
		if got := len(runningIDs(s.q)); got > 4 {
			t.Fatalf("at %v %d torrents run, more than active_limit", s.now.Sub(t0), got)
		}
	}
	// Every download but 0 (no peers, inactive) finished: downloads go
	// first. 0 holds one of the four slots, seeds the other three.
	if len(s.finished) != n-1 {
		t.Fatalf("finished %v, want all but 0", s.finished)
	}
	running := runningIDs(s.q)
	if len(running) != 4 || !slices.Contains(running, 0) || !s.q.Inactive(0) {
		t.Fatalf("running %v, want 0 (inactive) and three seeds", running)
	}
	queued := 0
	for id := 1; id < n; id++ {
		if s.q.Queued(id) {
			queued++
		}
	}
	if queued != n-4 {
		t.Fatalf("%d seeds queued, want %d", queued, n-4)
	}
}
