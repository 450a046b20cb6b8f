package actors

import (
	"sync"
	"time"
)

// Budget is a session-wide allowance of events per second shared by
// every torrent: connection_speed, the outgoing connection attempts of
// the whole session a second, as libtorrent means it. Each torrent takes
// what it uses when it connects; what it took and did not use it gives
// back. At most one second's worth is saved up.
type Budget struct {
	mu     sync.Mutex
	rate   int
	tokens float64
	last   time.Time
	turns  seedTurns // connect_seed_every_n_download (budget_seeds.go)
}

// NewBudget allows rate events a second (<= 0: none).
func NewBudget(rate int) *Budget {
	return &Budget{rate: rate, tokens: float64(max(rate, 0))}
}

// SetRate changes the allowance (settings applied at runtime).
func (b *Budget) SetRate(rate int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rate = rate
	b.tokens = min(b.tokens, float64(max(rate, 0)))
}

// Take takes up to want events at now and returns how many it may do.
func (b *Budget) Take(now time.Time, want int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.take(now, want)
}

func (b *Budget) take(now time.Time, want int) int {
	if b.rate <= 0 || want <= 0 {
		return 0
	}
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = min(float64(b.rate), b.tokens+now.Sub(b.last).Seconds()*float64(b.rate))
	}
	b.last = now
	n := max(min(want, int(b.tokens)), 0) // none while in debt (Charge)
	b.tokens -= float64(n)
	return n
}

// Charge counts n events that did not wait for the allowance (a torrent's
// torrent_connect_boost): the allowance goes into debt, paid off before
// anything more is allowed, as libtorrent deducts boosted connections
// from connection_speed on its next ticks.
func (b *Budget) Charge(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens -= float64(max(n, 0))
}

// Give returns n events taken and not used.
func (b *Budget) Give(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(float64(max(b.rate, 0)), b.tokens+float64(n))
}
