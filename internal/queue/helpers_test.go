package queue

import (
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// at returns t0 plus d seconds.
func at(d float64) time.Time { return t0.Add(time.Duration(d * float64(time.Second))) }

// newQueue returns a queue of n torrents 0..n-1 added at t0 with t.
func newQueue(s Settings, n int, t Torrent) *Queue[int] {
	q := New[int](s)
	for i := range n {
		q.Add(t0, i, t)
	}
	return q
}

// positions returns the positions of ids.
func positions(q *Queue[int], ids ...int) []int {
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = q.Position(id)
	}
	return out
}

// runningIDs returns the running torrents in id order.
func runningIDs(q *Queue[int]) []int {
	var out []int
	for id := range q.running {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// ids returns 0..n-1.
func ids(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// sorted returns a sorted copy.
func sorted(s []int) []int {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// checkInvariants fails t if the bookkeeping is inconsistent: positions
// 0..n-1 without gaps held by the unfinished torrents only, and the
// running set matching the flags.
func checkInvariants(t testing.TB, q *Queue[int]) {
	t.Helper()
	for p, id := range q.order {
		e, ok := q.torrents[id]
		if !ok {
			t.Fatalf("position %d holds unknown %d", p, id)
		}
		if e.pos != p {
			t.Fatalf("torrent %d at order[%d] says position %d", id, p, e.pos)
		}
	}
	holders := 0
	for id, e := range q.torrents {
		if e.state.finished() && e.pos != -1 {
			t.Fatalf("finished torrent %d holds position %d", id, e.pos)
		}
		if e.pos >= 0 {
			holders++
		}
		if e.pos < 0 && !e.state.finished() {
			t.Fatalf("unfinished torrent %d (state %d) has no position", id, e.state)
		}
		_, running := q.running[id]
		if running != q.runs(e) {
			t.Fatalf("torrent %d: running %v, flag paused %v, session paused %v", id, running, e.paused, q.sessionPaused)
		}
		if running != (e.started != 0) {
			t.Fatalf("torrent %d: running %v but started %v", id, running, e.started)
		}
		if e.pending != 0 && !slices.ContainsFunc(q.pendings, func(p pendingAt[int]) bool { return p.e == e && p.at == e.pending }) {
			t.Fatalf("torrent %d: pending %v not on the heap", id, e.pending)
		}
		if e.pending != 0 && !running {
			t.Fatalf("torrent %d has a pending change while not running", id)
		}
		if e.inactive && !running {
			t.Fatalf("torrent %d inactive while not running", id)
		}
	}
	if holders != len(q.order) {
		t.Fatalf("%d torrents hold positions, order has %d", holders, len(q.order))
	}
}

// checkLimits fails t if a pass just run left more torrents running than
// the settings allow.
func checkLimits(t testing.TB, q *Queue[int]) {
	t.Helper()
	s := q.settings
	var downloads, seeds, all int
	for _, e := range q.running {
		if !q.managed(e) {
			continue
		}
		all++
		if s.DontCountSlowTorrents && e.inactive {
			continue
		}
		if e.state.finished() {
			seeds++
		} else {
			downloads++
		}
	}
	if downloads > slots(s.ActiveDownloads) || seeds > slots(s.ActiveSeeds) || all > slots(s.ActiveLimit) {
		t.Fatalf("after a pass: %d downloads, %d seeds, %d in all run; settings %d/%d/%d",
			downloads, seeds, all, s.ActiveDownloads, s.ActiveSeeds, s.ActiveLimit)
	}
}
