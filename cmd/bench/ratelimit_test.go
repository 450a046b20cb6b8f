package main

import (
	"math"
	"testing"
)

func TestShareSpread(t *testing.T) {
	tests := []struct {
		rates []float64
		want  float64
	}{
		{[]float64{1, 1}, 0},
		{[]float64{1.2, 0.8}, 0.2},
		{[]float64{3, 1}, 0.5},
		{[]float64{1, 1, 4}, 1},
		{[]float64{5}, 0},
	}
	for _, tc := range tests {
		if got := shareSpread(tc.rates); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("shareSpread(%v) = %v, want %v", tc.rates, got, tc.want)
		}
	}
	if got := shareSpread([]float64{0, 0}); !math.IsNaN(got) {
		t.Errorf("shareSpread of nothing moved = %v, want NaN", got)
	}
}
