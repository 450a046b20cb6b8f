package queue

import (
	"slices"
	"testing"
	"time"
)

// quiet is the default settings without the inactivity filter, so that
// slot counts alone decide.
func quiet() Settings {
	s := DefaultSettings()
	s.DontCountSlowTorrents = false
	return s
}

func TestSlots(t *testing.T) {
	queued := Torrent{AutoManaged: true, Paused: true, State: StateDownloading}
	seed := Torrent{AutoManaged: true, Paused: true, State: StateSeeding}
	tests := []struct {
		name    string
		set     func(*Settings)
		add     map[int]Torrent // torrents 0..n-1 are added in id order
		setup   func(q *Queue[int])
		running []int
	}{
		{
			name:    "two download slots",
			set:     func(s *Settings) { s.ActiveDownloads = 2 },
			add:     map[int]Torrent{0: queued, 1: queued, 2: queued, 3: queued},
			running: []int{0, 1},
		},
		{
			name:    "queue order, not add order",
			set:     func(s *Settings) { s.ActiveDownloads = 2 },
			add:     map[int]Torrent{0: queued, 1: queued, 2: queued, 3: queued},
			setup:   func(q *Queue[int]) { q.Top(3); q.Down(0) },
			running: []int{1, 3},
		},
		{
			name:    "unlimited downloads",
			set:     func(s *Settings) { s.ActiveDownloads = -1 },
			add:     map[int]Torrent{0: queued, 1: queued, 2: queued, 3: queued},
			running: []int{0, 1, 2, 3},
		},
		{
			name:    "no download slot",
			set:     func(s *Settings) { s.ActiveDownloads = 0 },
			add:     map[int]Torrent{0: queued, 1: queued, 2: seed},
			running: []int{2},
		},
		{
			name:    "active_limit 0 pauses everything auto-managed",
			set:     func(s *Settings) { s.ActiveLimit = 0 },
			add:     map[int]Torrent{0: queued, 1: seed, 2: {State: StateDownloading}},
			running: []int{2},
		},
		{
			name:    "active_limit caps downloads and seeds together",
			set:     func(s *Settings) { s.ActiveDownloads, s.ActiveSeeds, s.ActiveLimit = 2, 5, 3 },
			add:     map[int]Torrent{0: seed, 1: seed, 2: queued, 3: queued, 4: queued},
			running: []int{0, 2, 3},
		},
		{
			name: "prefer seeds",
			set: func(s *Settings) {
				s.ActiveDownloads, s.ActiveSeeds, s.ActiveLimit, s.AutoManagePreferSeeds = 2, 5, 3, true
			},
			add:     map[int]Torrent{0: seed, 1: seed, 2: queued, 3: queued, 4: queued},
			running: []int{0, 1, 2},
		},
		{
			name: "torrents not auto-managed count against nothing",
			set:  func(s *Settings) { s.ActiveDownloads, s.ActiveLimit = 1, 1 },
			add: map[int]Torrent{0: {State: StateDownloading}, 1: {State: StateDownloading},
				2: queued, 3: queued, 4: {Paused: true, State: StateDownloading}},
			running: []int{0, 1, 2},
		},
		{
			name: "checking and failed torrents are left alone",
			set:  func(s *Settings) { s.ActiveDownloads = 1 },
			add: map[int]Torrent{0: {AutoManaged: true, State: StateChecking}, 1: {AutoManaged: true, State: StateDownloading},
				2: queued, 3: queued},
			setup:   func(q *Queue[int]) { q.SetError(1, true) },
			running: []int{0, 1, 2},
		},
		{
			name:    "a running auto-managed torrent beyond the slots is paused",
			set:     func(s *Settings) { s.ActiveDownloads = 1 },
			add:     map[int]Torrent{0: queued, 1: {AutoManaged: true, State: StateDownloading}},
			running: []int{0},
		},
		{
			name:    "finished torrents take seed slots",
			set:     func(s *Settings) { s.ActiveDownloads, s.ActiveSeeds = 1, 1 },
			add:     map[int]Torrent{0: queued, 1: queued, 2: {AutoManaged: true, Paused: true, State: StateFinished}, 3: seed},
			running: []int{0, 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := quiet()
			tt.set(&s)
			q := New[int](s)
			for i := range len(tt.add) {
				q.Add(t0, i, tt.add[i])
			}
			if tt.setup != nil {
				tt.setup(q)
			}
			q.Decide(t0)
			checkInvariants(t, q)
			checkLimits(t, q)
			if got := runningIDs(q); !slices.Equal(got, tt.running) {
				t.Fatalf("running %v, want %v", got, tt.running)
			}
		})
	}
}

// TestDecisionLists: Start and Pause name exactly the torrents whose flag
// the pass changed, in the order it handed out slots.
func TestDecisionLists(t *testing.T) {
	s := quiet()
	s.ActiveDownloads = 2
	q := newQueue(s, 4, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	d := q.Decide(t0)
	if !slices.Equal(d.Start, []int{0, 1}) || len(d.Pause) != 0 {
		t.Fatalf("first pass: %+v", d)
	}
	if d := q.Decide(at(30)); !d.Empty() {
		t.Fatalf("pass with nothing to change: %+v", d)
	}
	q.Top(3)
	d = q.Decide(at(31))
	if !slices.Equal(d.Start, []int{3}) || !slices.Equal(d.Pause, []int{1}) {
		t.Fatalf("after 3 moved to the top: %+v", d)
	}
	if !q.Queued(1) || q.Queued(3) || !q.Paused(1) || q.Paused(3) {
		t.Fatal("flags do not match the decision")
	}
}

// TestUserPauseAndResume replays what python3-libtorrent 2.0.8 does with
// two download slots: the user's Pause of an auto-managed torrent lasts
// until the next pass, so does the user's Resume of a queued one, and a
// torrent taken out of the queue keeps its flag.
func TestUserPauseAndResume(t *testing.T) {
	s := quiet()
	s.ActiveDownloads = 2
	q := newQueue(s, 4, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	q.Decide(t0)
	step := func(name string, now time.Time, want ...int) {
		t.Helper()
		checkInvariants(t, q)
		if got := runningIDs(q); !slices.Equal(got, want) {
			t.Fatalf("%s: running %v, want %v", name, got, want)
		}
	}
	step("first pass", t0, 0, 1)

	if !q.SetPaused(at(1), 0, true) {
		t.Fatal("pausing a running torrent changed nothing")
	}
	if q.SetPaused(at(1), 0, true) {
		t.Fatal("pausing it twice changed something")
	}
	step("user pauses 0", at(1), 1)
	if got := q.Next(at(1)); !got.Equal(at(30)) {
		t.Fatalf("a user pause made a pass due at %v", got.Sub(t0))
	}
	q.Decide(at(30))
	step("the pass resumes 0", at(30), 0, 1)

	q.SetPaused(at(31), 3, false)
	step("user resumes queued 3", at(31), 0, 1, 3)
	q.Decide(at(60))
	step("the pass queues 3 again", at(60), 0, 1)

	q.SetAutoManaged(2, false)
	q.Decide(at(61))
	step("2 out of the queue stays paused", at(61), 0, 1)
	if !q.Paused(2) || q.Queued(2) {
		t.Fatal("2 should be paused, not queued")
	}
	q.SetAutoManaged(3, false)
	q.SetPaused(at(62), 3, false)
	q.Decide(at(63))
	step("3 out of the queue runs beyond the slots", at(63), 0, 1, 3)
	q.SetAutoManaged(0, false)
	q.SetPaused(at(64), 0, true)
	q.Decide(at(65))
	step("0 paused and out of the queue: 2's slot goes to nobody queued", at(65), 1, 3)
}

// TestNext covers the rule the caller follows.
func TestNext(t *testing.T) {
	s := quiet()
	s.ActiveDownloads = 1
	q := New[int](s)
	if got := q.Next(t0); !got.Equal(t0) {
		t.Fatalf("before the first pass: %v", got.Sub(t0))
	}
	q.Decide(t0)
	if got := q.Next(at(5)); !got.Equal(at(30)) {
		t.Fatalf("after a pass: %v", got.Sub(t0))
	}
	q.Add(at(0.2), 0, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	if got := q.Next(at(0.2)); !got.Equal(at(1)) {
		t.Fatalf("an add within a second of a pass: %v", got.Sub(t0))
	}
	if d := q.Decide(at(0.5)); !d.Empty() || q.Running(0) {
		t.Fatalf("Decide before it is due ran a pass: %+v", d)
	}
	if got := q.Next(at(5)); !got.Equal(at(5)) {
		t.Fatalf("an overdue pass: %v", got.Sub(t0))
	}
	q.Add(at(5), 2, Torrent{AutoManaged: true, Paused: true, State: StateChecking})
	if d := q.Decide(at(5)); !slices.Equal(d.Start, []int{0}) {
		t.Fatalf("the due pass: %+v", d)
	}
	for _, ev := range []struct {
		name string
		do   func()
	}{
		{"done checking", func() { q.SetState(at(6), 2, StateDownloading) }},
		{"finished", func() { q.SetState(at(6), 0, StateSeeding) }},
		{"back to downloading", func() { q.SetState(at(6), 0, StateDownloading) }},
		{"added", func() { q.Add(at(6), 1, Torrent{AutoManaged: true, Paused: true, State: StateDownloading}) }},
		{"moved", func() { q.Top(1) }},
		{"auto-managed off", func() { q.SetAutoManaged(1, false) }},
		{"error", func() { q.SetError(1, true) }},
		{"settings", func() { q.SetSettings(at(6), s) }},
		{"removed", func() { q.Remove(1) }},
	} {
		q.lastPass = time.Time{} // the next Decide runs at once
		q.Decide(at(30))
		ev.do()
		if got := q.Next(at(30.5)); !got.Equal(at(31)) {
			t.Fatalf("%s: Next = %v, want a second after the pass", ev.name, got.Sub(t0))
		}
		q.Decide(at(31))
		if got := q.Next(at(31)); !got.Equal(at(61)) {
			t.Fatalf("%s: after the pass Next = %v", ev.name, got.Sub(t0))
		}
	}
	s.AutoManageInterval = 0
	q.SetSettings(at(100), s)
	q.Decide(at(100))
	if got := q.Next(at(100)); !got.Equal(at(101)) {
		t.Fatalf("interval 0: Next = %v, want a second", got.Sub(t0))
	}
}

func TestSessionPause(t *testing.T) {
	s := quiet()
	s.ActiveDownloads = 2
	q := newQueue(s, 3, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	q.Add(t0, 3, Torrent{State: StateDownloading})
	q.Decide(t0)
	if got := sorted(q.SetSessionPaused(at(1), true)); !slices.Equal(got, []int{0, 1, 3}) {
		t.Fatalf("pausing the session stops %v", got)
	}
	if q.SetSessionPaused(at(1), true) != nil {
		t.Fatal("pausing twice changed something")
	}
	checkInvariants(t, q)
	if len(q.running) != 0 || q.Paused(0) || !q.Paused(2) || !q.SessionPaused() {
		t.Fatal("the session pause touched the torrents' flags")
	}
	if !q.Next(at(100)).IsZero() {
		t.Fatal("a pass is due while the session is paused")
	}
	if d := q.Decide(at(100)); !d.Empty() {
		t.Fatalf("a pass ran while the session is paused: %+v", d)
	}
	if q.SetPaused(at(101), 2, false) {
		t.Fatal("resuming a torrent in a paused session started it")
	}
	q.SetPaused(at(101), 0, true)
	if got := sorted(q.SetSessionPaused(at(200), false)); !slices.Equal(got, []int{1, 2, 3}) {
		t.Fatalf("resuming the session starts %v", got)
	}
	checkInvariants(t, q)
	if got := q.Next(at(200)); !got.Equal(at(200)) {
		t.Fatalf("after resuming the session Next = %v", got.Sub(t0))
	}
	q.Decide(at(200))
	if got := runningIDs(q); !slices.Equal(got, []int{0, 1, 3}) {
		t.Fatalf("after the pass running %v", got)
	}
}

func TestUnknownIDs(t *testing.T) {
	q := New[int](DefaultSettings())
	q.Remove(7)
	q.Up(7)
	q.Down(7)
	q.SetAutoManaged(7, true)
	q.SetError(7, true)
	q.SetState(t0, 7, StateSeeding)
	q.Observe(t0, 7, Stats{})
	if q.SetPaused(t0, 7, true) || q.Has(7) || q.Paused(7) || q.AutoManaged(7) || q.Queued(7) ||
		q.Running(7) || q.Inactive(7) || q.SeedRank(t0, 7) != 0 || q.GoalMet(t0, 7) || q.Len() != 0 {
		t.Fatal("an unknown id has state")
	}
}
