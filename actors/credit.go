package actors

import (
	"context"
	"sync"
)

// Credit is the write-credit gate between a torrent's peer readers and the
// disk actor (DESIGN §4): a reader takes credit for every block it hands to
// the disk and the disk gives it back once the bytes are on disk. A reader
// with no credit stops reading its socket, which is the only backpressure we
// use for piece data (mailboxes stay unbounded).
//
// The limit is soft: a single Acquire larger than what is free succeeds when
// nothing is outstanding, so one oversized block can never wedge a torrent.
type Credit struct {
	mu      sync.Mutex
	limit   int64
	used    int64
	waiters []chan struct{}
	closed  bool
	warned  creditWarnings // when each performance warning was last posted
}

// NewCredit returns a gate allowing limit bytes in flight.
func NewCredit(limit int64) *Credit {
	if limit <= 0 {
		limit = 1
	}
	return &Credit{limit: limit}
}

// Acquire blocks until n bytes of credit are available, ctx is done, or the
// gate is closed (then it returns nil at once: the owner is shutting down).
func (c *Credit) Acquire(ctx context.Context, n int64) error {
	for {
		c.mu.Lock()
		if c.closed || c.used == 0 || c.used+n <= c.limit {
			c.used += n
			c.mu.Unlock()
			return nil
		}
		ch := make(chan struct{})
		c.waiters = append(c.waiters, ch)
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Release returns n bytes of credit and wakes the waiters.
func (c *Credit) Release(n int64) {
	c.mu.Lock()
	c.used -= n
	if c.used < 0 {
		c.used = 0
	}
	c.wakeUnlock()
}

// Used reports the bytes currently in flight.
func (c *Credit) Used() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// Waiting reports how many Acquire calls wait for credit.
func (c *Credit) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// Close lets every current and future Acquire through.
func (c *Credit) Close() {
	c.mu.Lock()
	c.closed = true
	c.wakeUnlock()
}

// SetLimit changes the limit (max_queued_disk_bytes applied at runtime)
// and wakes the waiters, who may now fit.
func (c *Credit) SetLimit(limit int64) {
	if limit <= 0 {
		limit = 1
	}
	c.mu.Lock()
	c.limit = limit
	c.wakeUnlock()
}

// wakeUnlock releases c.mu, held by the caller, and wakes every waiter
// (they try again: the credit, the limit or the gate changed).
func (c *Credit) wakeUnlock() {
	w := c.waiters
	c.waiters = nil
	c.mu.Unlock()
	for _, ch := range w {
		close(ch)
	}
}
