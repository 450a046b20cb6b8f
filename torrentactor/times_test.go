package torrentactor

import (
	"testing"
	"time"
)

// The clock counts each interval as the mode it had: active while
// running, finished and seeding on top when the torrent is; nothing while
// stopped. Times read mid-interval include it.
func TestTimeClock(t *testing.T) {
	run := clockMode{active: true}
	fin := clockMode{active: true, finished: true}
	seed := clockMode{active: true, finished: true, seeding: true}
	stop := clockMode{}
	type step struct {
		at   time.Duration // since t0
		mode clockMode
	}
	tests := []struct {
		name                      string
		carried                   time.Duration // active time from resume data
		steps                     []step
		at                        time.Duration
		active, finished, seeding time.Duration
	}{
		{"never ran", 0, []step{{0, stop}, {time.Hour, stop}}, 2 * time.Hour, 0, 0, 0},
		{"running, read mid-interval", 0, []step{{0, run}}, time.Hour, time.Hour, 0, 0},
		{"the same mode again keeps the interval", 0, []step{{0, run}, {time.Minute, run}}, time.Hour, time.Hour, 0, 0},
		{"paused in between", 0, []step{{0, run}, {10 * time.Minute, stop}, {50 * time.Minute, run}}, time.Hour, 20 * time.Minute, 0, 0},
		{"downloads then seeds", 0, []step{{0, run}, {10 * time.Minute, seed}}, time.Hour, time.Hour, 50 * time.Minute, 50 * time.Minute},
		{"finished (files left out), then a file wanted", 0, []step{{0, fin}, {10 * time.Minute, run}}, time.Hour, time.Hour, 10 * time.Minute, 0},
		{"carried over from resume data", 5 * time.Hour, []step{{0, run}}, time.Hour, 6 * time.Hour, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := timeClock{active: tt.carried}
			for _, s := range tt.steps {
				c.sync(t0.Add(s.at), s.mode)
			}
			a, f, s := c.times(t0.Add(tt.at))
			if a != tt.active || f != tt.finished || s != tt.seeding {
				t.Fatalf("times = %v %v %v, want %v %v %v", a, f, s, tt.active, tt.finished, tt.seeding)
			}
		})
	}
}
