package actors

import (
	"sync/atomic"
	"time"
)

// CreditWarning names a performance warning about the disk write queue
// that the credit's users (the peers of every torrent) post.
type CreditWarning int

// The warnings: the queue is at its limit (max_queued_disk_bytes), or it
// holds more than half the cache (the limit is too high for cache_size).
const (
	CreditExhausted CreditWarning = iota
	CreditOverHalfTheCache
	numCreditWarnings
)

// creditWarningInterval is how often each warning may be posted: libtorrent
// posts these two at most every 10 s, session-wide (the credit is the
// session's, shared by its torrents, so its peers share the interval).
const creditWarningInterval = 10 * time.Second

// creditWarnings holds when each warning was last posted (Unix nanoseconds).
type creditWarnings [numCreditWarnings]atomic.Int64

// Exhausted reports whether the credit in flight has reached the limit:
// the next block a reader takes waits (unless nothing is in flight).
func (c *Credit) Exhausted() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used >= c.limit
}

// WarnDue reports whether warning w may be posted at now (none was in the
// last 10 s) and, if so, records it: of peers racing for it, one wins.
func (c *Credit) WarnDue(w CreditWarning, now time.Time) bool {
	last := &c.warned[w]
	prev := last.Load()
	if prev != 0 && now.UnixNano()-prev < int64(creditWarningInterval) {
		return false
	}
	return last.CompareAndSwap(prev, now.UnixNano())
}
