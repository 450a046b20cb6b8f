package torrentactor

import (
	"testing"
	"time"
)

func TestPickIdle(t *testing.T) {
	t0 := time.Unix(1000, 0)
	idle := 10 * time.Second
	for _, tt := range []struct {
		name string
		cs   []idleCandidate
		want int
	}{
		{"none", nil, -1},
		{"all busy", []idleCandidate{{since: t0.Add(-5 * time.Second), ok: true}}, -1},
		{"idle exactly long enough", []idleCandidate{{since: t0.Add(-idle), ok: true}}, 0},
		{"the longest idle", []idleCandidate{
			{since: t0.Add(-20 * time.Second), ok: true}, {since: t0.Add(-40 * time.Second), ok: true}, {since: t0, ok: true},
		}, 1},
		{"not connected or leaving is no candidate", []idleCandidate{
			{since: t0.Add(-time.Hour), ok: false}, {since: t0.Add(-30 * time.Second), ok: true},
		}, 1},
	} {
		if got := pickIdle(tt.cs, t0, idle); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}
