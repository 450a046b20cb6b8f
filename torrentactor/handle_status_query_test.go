package torrentactor

import (
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
)

func TestSparseRegions(t *testing.T) {
	tests := []struct {
		n    int
		have []int
		want int
	}{
		{n: 0, want: 0},
		{n: 5, want: 1}, // all missing: one run
		{n: 5, have: []int{0, 1, 2, 3, 4}, want: 0}, // complete
		{n: 5, have: []int{2}, want: 2},             // a hole in the middle splits it
		{n: 5, have: []int{0, 4}, want: 1},
		{n: 6, have: []int{1, 3}, want: 3},
		{n: 1, have: []int{0}, want: 0},
	}
	for _, tt := range tests {
		b := bitfield.New(tt.n)
		for _, i := range tt.have {
			b.Set(i)
		}
		if got := sparseRegions(b); got != tt.want {
			t.Errorf("%d pieces, have %v: %d regions, want %d", tt.n, tt.have, got, tt.want)
		}
	}
}

func TestSince(t *testing.T) {
	now := time.Unix(1000, 0)
	for _, tt := range []struct {
		t    time.Time
		want time.Duration
	}{
		{time.Time{}, -1}, // never
		{now.Add(-90 * time.Second), 90 * time.Second},
		{now.Add(time.Second), 0}, // a clock step back is not negative
	} {
		if got := since(now, tt.t); got != tt.want {
			t.Errorf("since(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}
