package ratelimit

import "testing"

func TestMixedModeTCPLimit(t *testing.T) {
	tests := []struct {
		name                  string
		rate, tcp, utp, lower int64
		want                  int64
	}{
		{"no uTP peer: unthrottled", 1 << 20, 5, 0, 5000, 0},
		{"one of each: half the rate", 1 << 20, 1, 1, 5000, 1 << 19},
		{"three TCP of four", 400_000, 3, 1, 5000, 300_000},
		{"no TCP peer counts as one", 300_000, 0, 2, 5000, 100_000},
		{"never below the floor", 10_000, 1, 9, 30000, 30000},
		{"idle session: the floor", 0, 1, 1, 5000, 5000},
	}
	for _, tc := range tests {
		if got := MixedModeTCPLimit(tc.rate, tc.tcp, tc.utp, tc.lower); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
