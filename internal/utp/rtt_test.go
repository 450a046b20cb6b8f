package utp

import (
	"testing"
	"time"
)

func TestRTTTimeout(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name     string
		samples  []time.Duration
		timeouts int
		want     time.Duration
	}{
		{name: "no samples: the floor", want: 500 * ms},
		{name: "short rtt: the floor", samples: []time.Duration{20 * ms, 20 * ms}, want: 500 * ms},
		// mean 200, deviation 200: 200 + 2·200.
		{name: "mean plus two deviations", samples: []time.Duration{100 * ms, 300 * ms}, want: 600 * ms},
		{name: "first timeout adds 1 s", samples: []time.Duration{100 * ms, 300 * ms}, timeouts: 1, want: 1600 * ms},
		{name: "third adds 4 s", samples: []time.Duration{100 * ms, 300 * ms}, timeouts: 3, want: 4600 * ms},
		{name: "seventh is capped", timeouts: 7, want: 60 * time.Second},
		{name: "steady 800 ms", samples: []time.Duration{800 * ms, 800 * ms, 800 * ms}, want: 800 * ms},
	}
	for _, tt := range tests {
		var r rttEstimator
		for _, s := range tt.samples {
			r.add(s)
		}
		if got := r.timeout(500*ms, tt.timeouts); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRTTMeanConverges(t *testing.T) {
	var r rttEstimator
	r.add(1000 * time.Millisecond)
	for range 100 {
		r.add(100 * time.Millisecond)
	}
	if m := r.meanMs(); m < 99 || m > 101 {
		t.Fatalf("mean %d ms after 100 samples of 100 ms", m)
	}
	if d := r.devMs(); d > 2 {
		t.Fatalf("deviation %d ms after a steady run", d)
	}
}

func TestSynTimeout(t *testing.T) {
	for n, want := range []time.Duration{3 * time.Second, 6 * time.Second, 12 * time.Second} {
		if got := synTimeout(3*time.Second, n); got != want {
			t.Errorf("syn timeout after %d: %v, want %v", n, got, want)
		}
	}
	if got := synTimeout(3*time.Second, 20); got != 60*time.Second {
		t.Errorf("capped: %v", got)
	}
}
