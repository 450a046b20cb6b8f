package queue

import (
	"slices"
	"testing"
)

// TestPositionsLikeLibtorrent replays moves checked against
// python3-libtorrent 2.0.8 (six auto-managed downloading torrents added in
// order; positions of torrents 0..5 after each step).
func TestPositionsLikeLibtorrent(t *testing.T) {
	q := newQueue(DefaultSettings(), 6, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	steps := []struct {
		name string
		do   func()
		want []int
	}{
		{"added", func() {}, []int{0, 1, 2, 3, 4, 5}},
		{"up 3", func() { q.Up(3) }, []int{0, 1, 3, 2, 4, 5}},
		{"up 0 at the top", func() { q.Up(0) }, []int{0, 1, 3, 2, 4, 5}},
		{"down 1", func() { q.Down(1) }, []int{0, 2, 3, 1, 4, 5}},
		{"down 5 at the bottom", func() { q.Down(5) }, []int{0, 2, 3, 1, 4, 5}},
		{"top 4", func() { q.Top(4) }, []int{1, 3, 4, 2, 0, 5}},
		{"bottom 4", func() { q.Bottom(4) }, []int{0, 2, 3, 1, 5, 4}},
		{"1 finishes", func() { q.SetState(at(1), 1, StateFinished) }, []int{0, -1, 2, 1, 4, 3}},
		{"top on finished 1", func() { q.Top(1) }, []int{0, -1, 2, 1, 4, 3}},
		{"1 wants files again", func() { q.SetState(at(2), 1, StateDownloading) }, []int{0, 5, 2, 1, 4, 3}},
		{"remove 0", func() { q.Remove(0) }, []int{-1, 4, 1, 0, 3, 2}},
	}
	prev := positions(q, ids(6)...)
	q.Moved()
	for _, st := range steps {
		st.do()
		checkInvariants(t, q)
		got := positions(q, ids(6)...)
		if !slices.Equal(got, st.want) {
			t.Fatalf("%s: positions %v, want %v", st.name, got, st.want)
		}
		// Moved lists exactly the torrents whose position changed.
		var changed []int
		for id := range prev {
			if prev[id] != got[id] {
				changed = append(changed, id)
			}
		}
		moved := q.Moved()
		slices.Sort(moved)
		if moved = slices.Compact(moved); !slices.Equal(moved, changed) {
			t.Fatalf("%s: Moved %v, want %v", st.name, moved, changed)
		}
		prev = got
	}
}

// TestRecheckPositions: a recheck sends a torrent to the bottom, and a
// finished one holds a position only while it checks (libtorrent 2.0.8).
func TestRecheckPositions(t *testing.T) {
	q := newQueue(DefaultSettings(), 3, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	q.Add(t0, 3, Torrent{AutoManaged: true, State: StateSeeding})
	want := func(step string, w ...int) {
		t.Helper()
		checkInvariants(t, q)
		if got := positions(q, 0, 1, 2, 3); !slices.Equal(got, w) {
			t.Fatalf("%s: positions %v, want %v", step, got, w)
		}
	}
	want("added", 0, 1, 2, -1)
	q.SetState(at(1), 0, StateChecking)
	q.SetState(at(2), 0, StateDownloading)
	want("recheck 0", 2, 0, 1, -1)
	q.SetState(at(3), 3, StateChecking)
	want("seed checking", 2, 0, 1, 3)
	q.SetState(at(4), 3, StateSeeding)
	want("seed checked", 2, 0, 1, -1)
	q.SetAutoManaged(1, false)
	q.SetState(at(5), 1, StateChecking)
	q.SetState(at(6), 1, StateDownloading)
	want("recheck of a torrent that is not auto-managed", 1, 2, 0, -1)
}

func TestSetPosition(t *testing.T) {
	tests := []struct {
		name string
		id   int
		pos  int
		want []int // positions of 0..4
	}{
		{"forward", 3, 1, []int{0, 2, 3, 1, 4}},
		{"backward", 1, 3, []int{0, 3, 1, 2, 4}},
		{"same", 2, 2, []int{0, 1, 2, 3, 4}},
		{"past the end", 0, 100, []int{4, 0, 1, 2, 3}},
		{"negative", 4, -3, []int{1, 2, 3, 4, 0}},
		{"unknown torrent", 9, 0, []int{0, 1, 2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue(DefaultSettings(), 5, Torrent{State: StateDownloading})
			q.Set(tt.id, tt.pos)
			checkInvariants(t, q)
			if got := positions(q, ids(5)...); !slices.Equal(got, tt.want) {
				t.Fatalf("positions %v, want %v", got, tt.want)
			}
		})
	}
}

// TestWhoHoldsPositions: every unfinished torrent holds one, auto-managed
// or not, checking or not; finished ones and unknown ids have -1.
func TestWhoHoldsPositions(t *testing.T) {
	q := New[int](DefaultSettings())
	q.Add(t0, 0, Torrent{AutoManaged: true, State: StateChecking})
	q.Add(t0, 1, Torrent{State: StateDownloading})
	q.Add(t0, 2, Torrent{AutoManaged: true, State: StateSeeding})
	q.Add(t0, 3, Torrent{State: StateFinished})
	q.Add(t0, 4, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
	if q.Add(t0, 4, Torrent{State: StateSeeding}) {
		t.Fatal("adding a torrent twice succeeded")
	}
	if got, want := positions(q, 0, 1, 2, 3, 4, 5), []int{0, 1, -1, -1, 2, -1}; !slices.Equal(got, want) {
		t.Fatalf("positions %v, want %v", got, want)
	}
	checkInvariants(t, q)
}

// TestMovesMakeAPassDue: a move asks for a pass a second after the last
// one; a move that moves nothing does not.
func TestMovesMakeAPassDue(t *testing.T) {
	s := DefaultSettings()
	tests := []struct {
		name string
		move func(q *Queue[int])
		due  bool
	}{
		{"up", func(q *Queue[int]) { q.Up(2) }, true},
		{"up at the top", func(q *Queue[int]) { q.Up(0) }, false},
		{"down at the bottom", func(q *Queue[int]) { q.Down(2) }, false},
		{"bottom", func(q *Queue[int]) { q.Bottom(0) }, true},
		{"top at the top", func(q *Queue[int]) { q.Top(0) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue(s, 3, Torrent{AutoManaged: true, Paused: true, State: StateDownloading})
			q.Decide(t0)
			tt.move(q)
			want := at(30)
			if tt.due {
				want = at(1)
			}
			if got := q.Next(at(0.5)); !got.Equal(want) {
				t.Fatalf("Next = %v, want %v", got.Sub(t0), want.Sub(t0))
			}
		})
	}
}
