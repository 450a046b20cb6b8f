package actors

import (
	"testing"
	"time"
)

// Each warning is due at most once in 10 s, independently of the other.
func TestCreditWarnDue(t *testing.T) {
	c := NewCredit(10)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		w    CreditWarning
		at   time.Duration
		want bool
	}{
		{CreditExhausted, 0, true},
		{CreditExhausted, time.Second, false},
		{CreditOverHalfTheCache, time.Second, true},
		{CreditExhausted, 9 * time.Second, false},
		{CreditExhausted, 10 * time.Second, true},
		{CreditOverHalfTheCache, 10 * time.Second, false},
		{CreditOverHalfTheCache, 11 * time.Second, true},
		{CreditExhausted, 19 * time.Second, false},
	}
	for i, s := range steps {
		if got := c.WarnDue(s.w, t0.Add(s.at)); got != s.want {
			t.Errorf("step %d: warning %d at %s due %v, want %v", i, s.w, s.at, got, s.want)
		}
	}
}

// Exhausted: the credit in flight has reached the limit.
func TestCreditExhausted(t *testing.T) {
	c := NewCredit(100)
	for _, s := range []struct {
		acquire, release int64
		want             bool
	}{{60, 0, false}, {40, 0, true}, {0, 1, false}, {1, 0, true}} {
		if s.acquire > 0 {
			if err := c.Acquire(t.Context(), s.acquire); err != nil {
				t.Fatal(err)
			}
		}
		c.Release(s.release)
		if got := c.Exhausted(); got != s.want {
			t.Errorf("used %d of 100: exhausted %v, want %v", c.Used(), got, s.want)
		}
	}
}
