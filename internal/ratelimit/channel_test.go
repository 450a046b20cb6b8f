package ratelimit

import (
	"testing"
	"time"
)

func TestChannelAccruesExactlyAndSavesABurst(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit int64
		step  time.Duration
		steps int
		want  int64 // quota after the steps, nobody waiting
	}{
		// 2 MB/s in 3 ms steps: 6000 bytes a step, no rounding.
		{"2 MB/s, 3 ms steps", mbps2, 3 * time.Millisecond, 10, 60_000},
		// 999 B/s in 1 ms steps: 0.999 bytes a step, the remainder carried.
		{"999 B/s, 1 ms steps", 999, time.Millisecond, 100, 99},
		{"30 B/s saves its burst", 30, 100 * time.Millisecond, 10, 6},
		// idle for a minute: only the burst is saved
		{"idle", mbps2, time.Minute, 1, mbps2 / burstDivisor},
		{"1 B/s", 1, time.Hour, 1, 1}, // the burst is at least a byte
	} {
		c := NewChannel(tc.limit)
		now := t0
		c.refill(now) // starts empty
		for range tc.steps {
			now = now.Add(tc.step)
			c.refill(now)
		}
		if c.Quota() != tc.want {
			t.Errorf("%s: quota %d, want %d", tc.name, c.Quota(), tc.want)
		}
	}
}

func TestChannelSetLimit(t *testing.T) {
	t.Run("accrued at the old rate first", func(t *testing.T) {
		c := NewChannel(1000)
		c.refill(t0)
		c.SetLimit(100_000, t0.Add(100*time.Millisecond)) // 100 bytes at 1000 B/s
		c.refill(t0.Add(110 * time.Millisecond))          // +1000 at the new rate
		if c.Quota() != 1100 {
			t.Errorf("quota %d, want 1100", c.Quota())
		}
	})
	t.Run("lowering drops saved quota above the new burst", func(t *testing.T) {
		c := NewChannel(mbps2)
		c.refill(t0)
		c.refill(t0.Add(time.Second))
		c.SetLimit(10_000, t0.Add(time.Second))
		if c.Quota() != 2000 {
			t.Errorf("quota %d, want the new burst 2000", c.Quota())
		}
	})
	t.Run("from unlimited starts empty", func(t *testing.T) {
		c := NewChannel(0)
		c.refill(t0)
		c.SetLimit(mbps2, t0.Add(time.Hour))
		if c.Quota() != 0 || c.Unlimited() || c.Limit() != mbps2 {
			t.Errorf("quota %d limit %d, want 0 and %d", c.Quota(), c.Limit(), mbps2)
		}
	})
	t.Run("to unlimited", func(t *testing.T) {
		c := NewChannel(mbps2)
		c.refill(t0)
		c.SetLimit(-5, t0.Add(time.Second))
		if !c.Unlimited() || c.Burst() != 0 {
			t.Errorf("limit %d burst %d, want unlimited", c.Limit(), c.Burst())
		}
		c.Use(1000)
		if c.Quota() != 0 {
			t.Errorf("an unlimited channel took a charge: quota %d", c.Quota())
		}
	})
	t.Run("clamped", func(t *testing.T) {
		if c := NewChannel(1 << 50); c.Limit() != MaxLimit {
			t.Errorf("limit %d, want MaxLimit", c.Limit())
		}
	})
}

func TestChannelDebt(t *testing.T) {
	c := NewChannel(1000)
	c.refill(t0)
	c.Use(500)
	c.refill(t0.Add(200 * time.Millisecond))
	if c.Quota() != -300 {
		t.Errorf("quota %d, want -300 after 500 bytes of overhead and 200 ms at 1000 B/s", c.Quota())
	}
	// A debt of more than the few seconds a channel may hold is paid back
	// at the full rate, however long the gap between updates.
	c.Use(5000)
	c.refill(t0.Add(4200 * time.Millisecond))
	if c.Quota() != -1300 {
		t.Errorf("quota %d, want -1300 after 4 s more", c.Quota())
	}
}

func TestPriorityAndAllUnlimited(t *testing.T) {
	a, b, u := NewChannel(10), NewChannel(10), NewChannel(0)
	a.SetPriority(7)
	b.SetPriority(1000)
	u.SetPriority(9)
	for _, tc := range []struct {
		chans     []*Channel
		prio      int
		unlimited bool
	}{
		{nil, 1, true},
		{[]*Channel{nil, u}, 9, true}, // unlimited channels count for priority
		{[]*Channel{a}, 7, false},
		{[]*Channel{a, b, u}, 255, false},
		{[]*Channel{u, nil, a}, 9, false},
	} {
		if p := Priority(tc.chans); p != tc.prio {
			t.Errorf("Priority = %d, want %d", p, tc.prio)
		}
		if AllUnlimited(tc.chans) != tc.unlimited {
			t.Errorf("AllUnlimited = %v, want %v", !tc.unlimited, tc.unlimited)
		}
	}
	var zero Channel
	if zero.Priority() != 1 || !zero.Unlimited() {
		t.Error("the zero Channel is not unlimited with priority 1")
	}
}
