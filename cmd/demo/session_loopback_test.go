package main

import "testing"

// On loopback the demo's sessions take several connections per IP (every
// local peer comes from 127.0.0.1); elsewhere libtorrent's default holds.
func TestOnLoopback(t *testing.T) {
	tests := []struct {
		listen string
		want   bool
	}{
		{"127.0.0.1:0", true},
		{"127.0.0.2:6881", true},
		{"[::1]:0", true},
		{"0.0.0.0:6881", false},
		{"192.0.2.1:6881", false},
		{"localhost:0", false}, // a name: left to -set
		{"garbage", false},
	}
	for _, tt := range tests {
		if got := onLoopback(tt.listen); got != tt.want {
			t.Errorf("onLoopback(%q) = %v, want %v", tt.listen, got, tt.want)
		}
	}
}
