package tracker

import "time"

// budget is the per-torrent attempt token bucket (Settings.AttemptBurst and
// AttemptEvery). Backoff alone bounds each tracker; the budget bounds the
// sum, which is what matters when a list has hundreds of dead trackers and
// failing over from one to the next would otherwise be instant.
//
// tokens is the count at stamp; refills are computed lazily from now, so
// the budget, like the List, never reads a clock.
type budget struct {
	burst  int
	every  time.Duration
	tokens int
	stamp  time.Time // zero: never used, the bucket is full
}

// at returns the tokens available at now and the stamp they are counted
// from, without changing b.
func (b *budget) at(now time.Time) (int, time.Time) {
	if b.stamp.IsZero() {
		return b.burst, now
	}
	if now.Before(b.stamp) {
		// Time went backwards (it does not with monotonic readings): mint
		// nothing, as if no time had passed.
		now = b.stamp
	}
	n := now.Sub(b.stamp) / b.every
	if n >= time.Duration(b.burst-b.tokens) {
		return b.burst, now
	}
	return b.tokens + int(n), b.stamp.Add(n * b.every)
}

// availableAt is the first moment not before now at which a token is there.
func (b *budget) availableAt(now time.Time) time.Time {
	tokens, stamp := b.at(now)
	if tokens > 0 {
		return now
	}
	return stamp.Add(b.every)
}

// take spends one token at now; the caller checked availableAt(now) == now.
func (b *budget) take(now time.Time) {
	tokens, stamp := b.at(now)
	if tokens == b.burst {
		// A full bucket starts refilling from the moment it is drawn on.
		stamp = now
	}
	b.tokens, b.stamp = tokens-1, stamp
}
