package utp

import "testing"

func TestSeqLess(t *testing.T) {
	tests := []struct {
		a, b uint16
		less bool
	}{
		{0, 1, true},
		{1, 0, false},
		{5, 5, false},
		{0xffff, 0, true}, // wrap: 65535 comes before 0
		{0, 0xffff, false},
		{0xfff0, 0x0010, true},
		{0x0010, 0xfff0, false},
		{0, 0x7fff, true},
		{0, 0x8000, false}, // exactly half the circle: neither is first
		{0x8000, 0, false},
		{0, 0x8001, false}, // past half: 0x8001 is before 0
		{0x8001, 0, true},
	}
	for _, tt := range tests {
		if got := SeqLess(tt.a, tt.b); got != tt.less {
			t.Errorf("SeqLess(%#x, %#x) = %v, want %v", tt.a, tt.b, got, tt.less)
		}
		if got := SeqLessEq(tt.a, tt.b); got != (tt.less || tt.a == tt.b) {
			t.Errorf("SeqLessEq(%#x, %#x) = %v", tt.a, tt.b, got)
		}
	}
}

func TestSeqDiff(t *testing.T) {
	tests := []struct {
		a, b uint16
		want int
	}{
		{3, 1, 2},
		{1, 3, -2},
		{1, 0xffff, 2},
		{0xffff, 1, -2},
		{0x7fff, 0, 32767},
		{0x8000, 0, -32768},
	}
	for _, tt := range tests {
		if got := SeqDiff(tt.a, tt.b); got != tt.want {
			t.Errorf("SeqDiff(%#x, %#x) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
