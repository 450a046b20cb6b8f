package actors

import (
	"testing"
	"time"
)

// While downloading and finished torrents both want peers, a finished one
// gets one attempt per everyN of the downloading ones'; alone, either
// kind takes what the allowance gives; everyN 0 puts finished first.
func TestBudgetSeedTurns(t *testing.T) {
	t0 := time.Unix(1000, 0)
	type step struct {
		at       time.Duration
		finished bool
		want     int
		got      int
	}
	tests := []struct {
		name   string
		everyN int
		steps  []step
	}{
		{"finished alone: all it wants", 3, []step{{0, true, 5, 5}}},
		{"downloading alone: all it wants", 3, []step{{0, false, 5, 5}}},
		{"one in three", 3, []step{
			{0, false, 2, 2},              // downloads: 2
			{0, true, 5, 0},               // not its turn yet
			{0, false, 1, 1},              // the third download attempt: the finished torrent's turn is due
			{0, false, 5, 0},              // downloading waits for it
			{0, true, 5, 1},               // its one attempt
			{0, false, 3, 3},              // downloading again
			{0, true, 5, 1},               // three more: one more
			{2 * time.Second, true, 5, 5}, // downloading torrents quiet for a second: all it wants
		}},
		{"a finished torrent that stopped asking no longer holds others up", 1, []step{
			{0, false, 1, 1},
			{0, true, 1, 1},
			{0, false, 1, 1},
			{0, false, 1, 0},               // the finished torrent's turn is due
			{2 * time.Second, false, 1, 1}, // it did not ask for a second
		}},
		{"everyN 0: finished first", 0, []step{
			{0, true, 2, 2},
			{0, false, 2, 0},
			{2 * time.Second, false, 2, 2},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBudget(100)
			for i, s := range tt.steps {
				now := t0.Add(s.at)
				n := b.TakeFor(now, s.want, s.finished, tt.everyN)
				if n != s.got {
					t.Fatalf("step %d (%+v): took %d, want %d", i, s, n, s.got)
				}
				b.Attempted(n, s.finished, tt.everyN)
			}
		})
	}
}
