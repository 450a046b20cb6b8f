package turnover

import (
	"slices"
	"testing"
	"time"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name                       string
		connections, limit, cutoff int
		peers                      []int
		want                       Round
	}{
		{"limit 5: off", 5, 5, 90, []int{5}, Round{Busiest: -1}},
		{"at the cutoff: the busiest", 90, 100, 90, []int{10, 50, 30}, Round{Busiest: 1}},
		{"under it: each at its own", 89, 100, 90, []int{10, 50, 29}, Round{Busiest: -1, OwnLimit: true}},
		{"cutoff over 100 is 100", 100, 100, 150, []int{100}, Round{Busiest: 0}},
		{"no torrents", 100, 100, 90, nil, Round{Busiest: -1, OwnLimit: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Plan(tt.connections, tt.limit, tt.cutoff, tt.peers); got != tt.want {
				t.Fatalf("Plan = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAtOwnLimitAndCount(t *testing.T) {
	for _, tt := range []struct {
		peers, max, cutoff int
		want               bool
	}{{45, 50, 90, true}, {44, 50, 90, false}, {5, 5, 90, false}, {6, 6, 100, true}} {
		if got := AtOwnLimit(tt.peers, tt.max, tt.cutoff); got != tt.want {
			t.Errorf("AtOwnLimit(%d, %d, %d) = %v", tt.peers, tt.max, tt.cutoff, got)
		}
	}
	for _, tt := range []struct{ peers, turnover, candidates, want int }{
		{100, 4, 50, 4}, {10, 4, 50, 1}, {100, 4, 2, 2}, {100, 4, 0, 0}, {0, 4, 10, 0},
	} {
		if got := Count(tt.peers, tt.turnover, tt.candidates); got != tt.want {
			t.Errorf("Count(%d, %d, %d) = %d, want %d", tt.peers, tt.turnover, tt.candidates, got, tt.want)
		}
	}
}

func TestWorst(t *testing.T) {
	t0 := time.Unix(1000, 0)
	ps := []Peer{
		0: {Interesting: true, Seed: true, DownloadRate: 10},
		1: {Interesting: true, DownloadRate: 500},
		2: {Interesting: true, DownloadRate: 100, LastPayload: t0.Add(time.Second)},
		3: {Interesting: false, Seed: true, DownloadRate: 1000},
		4: {Interesting: true, Parole: true, DownloadRate: 900},
		5: {Interesting: true, DownloadRate: 100, LastPayload: t0},
		6: {Interesting: true, Seed: true, Leaving: true},
	}
	want := []int{6, 3, 4, 5, 2, 1, 0}
	if got := Worst(ps, len(ps)); !slices.Equal(got, want) {
		t.Fatalf("Worst = %v, want %v", got, want)
	}
	if got := Worst(ps, 2); !slices.Equal(got, want[:2]) {
		t.Fatalf("Worst(2) = %v", got)
	}
}
