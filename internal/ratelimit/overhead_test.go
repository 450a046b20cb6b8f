package ratelimit

import "testing"

func TestIPOverhead(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		ipv6 bool
		want int64
	}{
		{0, false, 40}, // one packet at least
		{-1, false, 40},
		{1, false, 40},
		{1460, false, 40},
		{1461, false, 80},
		{16384, false, 12 * 40},
		{16384 + 13, false, 12 * 40},
		{1440, true, 60},
		{1441, true, 120},
		{16384, true, 12 * 60},
		{1 << 20, false, 719 * 40},
	} {
		if got := IPOverhead(tc.n, tc.ipv6); got != tc.want {
			t.Errorf("IPOverhead(%d, ipv6 %v) = %d, want %d", tc.n, tc.ipv6, got, tc.want)
		}
	}
	if SYNOverhead(false) != 40 || SYNOverhead(true) != 60 {
		t.Error("SYNOverhead")
	}
}
