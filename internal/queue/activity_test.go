package queue

import (
	"slices"
	"testing"
	"time"
)

// TestInactivityFilter follows one running downloader through rate
// reports (bytes/s at seconds after its start at t0) with the default
// 60 s grace and 2048 B/s threshold, and checks when it counts as
// inactive.
func TestInactivityFilter(t *testing.T) {
	type report struct {
		at   float64
		rate int64
	}
	tests := []struct {
		name     string
		set      func(*Settings)
		finished bool
		reports  []report
		checks   map[float64]bool // seconds -> inactive
	}{
		{
			name:   "never reports: inactive after the grace",
			checks: map[float64]bool{59: false, 60: true, 500: true},
		},
		{
			name:    "fast from the start",
			reports: []report{{1, 100_000}, {2, 100_000}},
			checks:  map[float64]bool{60: false, 500: false},
		},
		{
			name:    "slows down at 100 s",
			reports: []report{{1, 100_000}, {100, 1000}},
			checks:  map[float64]bool{159: false, 160: true},
		},
		{
			name:    "a burst within the grace restarts it",
			reports: []report{{1, 100_000}, {100, 0}, {130, 4096}, {140, 0}},
			checks:  map[float64]bool{160: false, 199: false, 200: true},
		},
		{
			name:    "the rate at the end of the grace decides",
			reports: []report{{1, 100_000}, {100, 0}},
			checks:  map[float64]bool{160: true},
		},
		{
			name:    "recovers after the grace",
			reports: []report{{10, 0}, {300, 5000}},
			checks:  map[float64]bool{299: true, 359: true, 360: false},
		},
		{
			name:    "exactly the threshold is active",
			reports: []report{{1, 2048}},
			checks:  map[float64]bool{100: false},
		},
		{
			name:     "a finished torrent is judged by its upload rate",
			finished: true,
			reports:  []report{{1, 0}},
			checks:   map[float64]bool{100: true},
		},
		{
			name:    "counting slow torrents turns the filter off",
			set:     func(s *Settings) { s.DontCountSlowTorrents = false },
			reports: []report{{1, 0}},
			checks:  map[float64]bool{100: false, 1000: false},
		},
		{
			name:   "a shorter grace",
			set:    func(s *Settings) { s.AutoManageStartup = 5 * time.Second },
			checks: map[float64]bool{4: false, 5: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			if tt.set != nil {
				tt.set(&s)
			}
			state := StateDownloading
			if tt.finished {
				state = StateSeeding
			}
			q := New[int](s)
			q.Add(t0, 0, Torrent{AutoManaged: true, State: state})
			var checks []float64
			for sec := range tt.checks {
				checks = append(checks, sec)
			}
			slices.Sort(checks)
			reports := tt.reports
			for _, sec := range checks {
				for len(reports) > 0 && reports[0].at <= sec {
					r := reports[0]
					reports = reports[1:]
					rate := Stats{DownloadRate: r.rate}
					if tt.finished {
						rate = Stats{UploadRate: r.rate}
					}
					q.Observe(at(r.at), 0, rate)
				}
				// The caller wakes at Next: never past a due change.
				if next := q.Next(at(sec)); !next.After(at(sec)) {
					q.Decide(at(sec))
				}
				if got := q.Inactive(0); got != tt.checks[sec] {
					t.Fatalf("at %v s inactive = %v, want %v", sec, got, tt.checks[sec])
				}
			}
		})
	}
}

// TestInactivityNeedsNext: the end of a grace is a wake-up time, and the
// change it brings runs a pass at once (or a second after the last one).
func TestInactivityNeedsNext(t *testing.T) {
	s := DefaultSettings()
	s.ActiveDownloads, s.AutoManageStartup = 1, 45*time.Second
	q := newQueue(s, 2, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	q.Decide(t0)
	if got := q.Next(at(1)); !got.Equal(at(30)) {
		t.Fatalf("Next = %v, want the regular pass", got.Sub(t0))
	}
	q.Decide(at(30))
	if got := q.Next(at(31)); !got.Equal(at(45)) {
		t.Fatalf("Next = %v, want the end of the grace", got.Sub(t0))
	}
	if d := q.Decide(at(45)); !slices.Equal(d.Start, []int{1}) || !q.Inactive(0) {
		t.Fatalf("at the end of the grace: %+v, 0 inactive %v", d, q.Inactive(0))
	}

	q = newQueue(s, 2, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	q.Decide(t0)
	q.Decide(at(44.5)) // the regular pass, run late, just before the grace ends
	if d := q.Decide(at(45)); !d.Empty() || !q.Inactive(0) {
		t.Fatalf("half a second after a pass: %+v", d)
	}
	if got := q.Next(at(45)); !got.Equal(at(45.5)) {
		t.Fatalf("Next = %v, want a second after the last pass", got.Sub(t0))
	}
}

// TestPauseClearsInactivity: a torrent paused and started again gets a
// fresh grace (libtorrent's do_pause clears m_inactive), as does one that
// comes out of a check.
func TestPauseClearsInactivity(t *testing.T) {
	q := New[int](DefaultSettings())
	q.Add(t0, 0, Torrent{AutoManaged: true, State: StateDownloading})
	q.Decide(at(60))
	if !q.Inactive(0) {
		t.Fatal("not inactive after the grace")
	}
	q.SetPaused(at(70), 0, true)
	if q.Inactive(0) {
		t.Fatal("inactive while paused")
	}
	q.SetPaused(at(80), 0, false)
	q.Decide(at(139))
	if q.Inactive(0) {
		t.Fatal("inactive within the new grace")
	}
	q.Decide(at(140))
	if !q.Inactive(0) {
		t.Fatal("not inactive after the new grace")
	}
	q.SetState(at(150), 0, StateChecking)
	q.Decide(at(1000))
	if q.Inactive(0) {
		t.Fatal("a checking torrent went inactive")
	}
	q.SetState(at(1000), 0, StateDownloading)
	q.Decide(at(1059))
	if q.Inactive(0) {
		t.Fatal("inactive within the grace after the check")
	}
	q.Decide(at(1060))
	if !q.Inactive(0) {
		t.Fatal("not inactive after the grace after the check")
	}
}

// TestInactiveTakeOnlyTheHardLimit replays python3-libtorrent 2.0.8 with
// active_downloads 2, active_limit 3, auto_manage_startup 3 and five
// downloads without peers: 0 and 1 start, go inactive after the grace and
// run on, 2 takes the freed download slot, and active_limit keeps 3 and 4
// queued.
func TestInactiveTakeOnlyTheHardLimit(t *testing.T) {
	s := DefaultSettings()
	s.ActiveDownloads, s.ActiveLimit, s.AutoManageStartup, s.AutoManageInterval = 2, 3, 3*time.Second, time.Second
	q := newQueue(s, 5, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	now := t0
	for end := at(12); !now.After(end); now = now.Add(time.Second) {
		if !q.Next(now).After(now) {
			q.Decide(now)
			checkInvariants(t, q)
			checkLimits(t, q)
		}
		want := []int{0, 1}
		if !now.Before(at(3)) {
			want = []int{0, 1, 2}
		}
		if got := runningIDs(q); !slices.Equal(got, want) {
			t.Fatalf("at %v running %v, want %v", now.Sub(t0), got, want)
		}
	}
	if !q.Inactive(2) || !q.Queued(3) || !q.Queued(4) {
		t.Fatal("2 should be inactive, 3 and 4 queued")
	}
}
