package ratelimit

import (
	"testing"
	"time"
)

func TestManagerRequestGrantsAtOnce(t *testing.T) {
	limited := func(saved time.Duration) *Channel {
		c := NewChannel(1_000_000) // burst 200 kB
		c.refill(t0.Add(-saved))
		c.refill(t0)
		return c
	}
	for _, tc := range []struct {
		name  string
		chans []*Channel
		n     int64
		now   bool
	}{
		{"no channels", nil, block, true},
		{"unlimited only", []*Channel{NewChannel(0), nil, NewChannel(0)}, block, true},
		{"nothing wanted", []*Channel{limited(0)}, 0, true},
		{"empty bucket", []*Channel{limited(0)}, block, false},
		{"saved enough", []*Channel{limited(time.Second)}, block, true},
		{"saved too little", []*Channel{limited(10 * time.Millisecond)}, block, false},
		{"more than a burst", []*Channel{limited(time.Second)}, 300_000, false},
		{"one of two short", []*Channel{limited(time.Second), limited(0)}, block, false},
		{"limited and unlimited", []*Channel{NewChannel(0), limited(time.Second)}, block, true},
	} {
		m := NewManager()
		if got := m.Request(1, tc.n, 1, tc.chans, t0); got != tc.now {
			t.Errorf("%s: granted at once = %v, want %v", tc.name, got, tc.now)
		}
		if want := map[bool]int{true: 0, false: 1}[tc.now]; m.Queued() != want {
			t.Errorf("%s: %d queued, want %d", tc.name, m.Queued(), want)
		}
	}
}

func TestManagerImmediateGrantsTakeQuota(t *testing.T) {
	c := NewChannel(1_000_000)
	c.refill(t0)
	now := t0.Add(time.Second) // 200 kB saved: 12 blocks
	m := NewManager()
	n := 0
	for m.Request(RequestID(n), block, 1, []*Channel{c, c}, now) {
		n++
	}
	if n != 12 || c.Quota() != 200_000-12*block {
		t.Errorf("%d blocks granted at once, quota left %d; want 12 and %d (a channel named twice is charged once)", n, c.Quota(), 200_000-12*block)
	}
}

func TestManagerWaitersAreNotOvertaken(t *testing.T) {
	c := NewChannel(1_000_000)
	m := NewManager()
	if m.Request(1, block, 1, []*Channel{c}, t0) {
		t.Fatal("granted from an empty bucket")
	}
	// 100 ms later 100 kB have accrued for the waiter; a small newcomer
	// must still queue behind it.
	later := t0.Add(100 * time.Millisecond)
	if m.Request(2, 100, 1, []*Channel{c}, later) {
		t.Fatal("a newcomer overtook a waiting request")
	}
	grants, _ := m.Tick(later, nil)
	if len(grants) != 2 || grants[0].ID != 1 || grants[1].ID != 2 || grants[0].Bytes != block {
		t.Fatalf("grants %v, want 1 (%d bytes) then 2", grants, block)
	}
	// What accrued for the waiters beyond their needs stays, up to the
	// burst, for the next requests.
	if want := int64(100_000 - block - 100); c.Quota() != want {
		t.Errorf("quota %d, want %d", c.Quota(), want)
	}
}

func TestManagerCancelReturnsAssignedQuota(t *testing.T) {
	c := NewChannel(1_000_000)
	m := NewManager()
	m.Request(1, block, 1, []*Channel{c}, t0)
	m.Request(2, block, 1, []*Channel{c}, t0)
	if g, _ := m.Tick(t0.Add(10*time.Millisecond), nil); len(g) != 0 {
		t.Fatalf("granted %v with 10 kB for two blocks", g)
	}
	if m.Assigned() != 10_000 || c.Quota() != 0 {
		t.Fatalf("assigned %d, quota %d; want 10000 and 0", m.Assigned(), c.Quota())
	}
	if !m.Cancel(1) || m.Cancel(1) || m.Cancel(99) {
		t.Fatal("Cancel reports wrongly whether a request was queued")
	}
	if c.Quota() != 5000 || m.Assigned() != 5000 || m.Queued() != 1 {
		t.Fatalf("after cancel: quota %d, assigned %d, queued %d; want 5000, 5000, 1", c.Quota(), m.Assigned(), m.Queued())
	}
	if !m.Cancel(2) || m.Queued() != 0 {
		t.Fatal("second cancel")
	}
	// Nobody waits: a request that fits is served at once again.
	if !m.Request(3, 10_000, 1, []*Channel{c}, t0.Add(10*time.Millisecond)) {
		t.Fatal("returned quota was not usable")
	}
}

func TestManagerDebtDelaysGrants(t *testing.T) {
	c := NewChannel(1_000_000)
	m := NewManager()
	m.Request(1, block, 1, []*Channel{c}, t0)
	c.Use(500_000) // IP overhead charged while it waits
	next := m.Next(t0)
	want := 500*time.Millisecond + 16384*time.Microsecond
	if d := next.Sub(t0); d < want || d > want+time.Millisecond {
		t.Fatalf("Next in %v, want %v (pay the debt, then the block)", d, want)
	}
	if g, _ := m.Tick(t0.Add(400*time.Millisecond), nil); len(g) != 0 {
		t.Fatal("granted while the channel is in debt")
	}
	if g, _ := m.Tick(next, nil); len(g) != 1 {
		t.Fatal("not granted once the debt was paid")
	}
}

func TestManagerNextAndTickWithNothingQueued(t *testing.T) {
	m := NewManager()
	if !m.Next(t0).IsZero() {
		t.Error("Next with nothing queued is not the zero time")
	}
	g, next := m.Tick(t0, nil)
	if len(g) != 0 || !next.IsZero() {
		t.Error("Tick with nothing queued did something")
	}
}

func TestManagerNextIsWhenTheFirstRequestCompletes(t *testing.T) {
	slow, fast := NewChannel(1000), NewChannel(1_000_000)
	m := NewManager()
	m.Request(1, block, 1, []*Channel{slow}, t0)
	m.Request(2, block, 1, []*Channel{fast}, t0)
	m.Request(3, block, 3, []*Channel{fast}, t0)
	// On fast, request 3 (priority 3 of 4) gets 750 kB/s: 21.8 ms.
	want := t0.Add(21845334 * time.Nanosecond)
	next := m.Next(t0)
	if next.Before(want) || next.After(want.Add(10*time.Microsecond)) {
		t.Fatalf("Next in %v, want %v", next.Sub(t0), want.Sub(t0))
	}
	g, _ := m.Tick(next, nil)
	if len(g) != 1 || g[0].ID != 3 {
		t.Fatalf("grants at Next: %v, want request 3", g)
	}
}

// A channel of 10 B/s holds at most 30 bytes for its waiters; shared among
// 1000 of them, every proportional share rounds to nothing. The crumbs must
// still go somewhere, or nobody is ever served.
func TestManagerTinyLimitManyWaitersProgress(t *testing.T) {
	c := NewChannel(10)
	m := NewManager()
	for i := range 1000 {
		m.Request(RequestID(i), 1, 1, []*Channel{c}, t0)
	}
	now, granted := t0, 0
	for steps := 0; m.Queued() > 0; steps++ {
		if steps > 100_000 {
			t.Fatalf("%d of 1000 one-byte requests granted after %v at 10 B/s", granted, now.Sub(t0))
		}
		now = later(m.Next(now), now.Add(time.Millisecond))
		g, _ := m.Tick(now, nil)
		granted += len(g)
	}
	if d := now.Sub(t0); d > 101*time.Second {
		t.Errorf("1000 bytes at 10 B/s took %v, want 100 s", d)
	}
}
