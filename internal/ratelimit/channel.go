package ratelimit

import (
	"sync/atomic"
	"time"
)

// Direction says which way bytes move; the values are libtorrent's
// upload_channel and download_channel.
type Direction uint8

const (
	Upload   Direction = 0
	Download Direction = 1
)

func (d Direction) String() string {
	if d == Download {
		return "download"
	}
	return "upload"
}

// MaxLimit is the largest limit a channel takes, in bytes per second (8 GiB/s).
// Larger values are clamped to it; it keeps quota arithmetic in int64.
const MaxLimit = int64(1) << 33

// burstDivisor sets how much quota a channel saves while nobody waits: a
// fifth of a second of its limit. Whatever a channel has saved can leave in
// one burst when traffic resumes, so over a 10 s window the bytes moved are
// at most limit*10 s + burst: 2% over with a fifth of a second, well inside
// the ±5%-over-10-s bar. A larger burst (libtorrent saves up to three
// seconds) would let a peer that was idle go 30% over such a window. A burst
// much smaller than a block would only add latency for peers under the
// limit, so a fifth of a second is the middle ground.
const burstDivisor = 5

// maxOwed caps the quota a channel accrues for requests already waiting on
// it, as libtorrent caps a channel's quota at three seconds of its limit.
const maxOwed = 3

// Channel is a token bucket: limit bytes per second, 0 for unlimited. The
// limit changes at runtime without losing what was accrued at the old rate.
//
// Quota accrues continuously (with the sub-byte remainder carried, so a
// 2 MB/s channel hands out exactly 2 MB a second). While nobody waits on the
// channel it saves at most Burst bytes; while requests wait, what accrues is
// theirs and is not capped by the burst (only by three seconds of the limit,
// as libtorrent does), so a late tick delays bytes but never loses them.
//
// Quota can go negative: Use charges bytes that moved without asking (the
// TCP/IP overhead of rate_limit_ip_overhead), and the debt is paid back by
// later accrual before any request is served.
//
// Limit and Unlimited may be called concurrently with everything else;
// every other method needs the caller's synchronisation.
type Channel struct {
	limit    atomic.Int64
	priority int

	quota int64     // bytes available now; negative is debt
	carry int64     // accrued byte-nanoseconds short of a whole byte
	last  time.Time // when quota was last brought up to date

	waiters int // queued requests that draw on this channel

	// scratch for Manager.Tick and Manager.Next
	mark    uint64
	prioSum int64
	avail   int64
}

// NewChannel returns a channel limited to limit bytes per second (0 or less:
// unlimited) with priority 1. It starts with no saved quota, so a new limit
// does not begin with a burst.
func NewChannel(limit int64) *Channel {
	c := &Channel{priority: 1}
	c.limit.Store(clampLimit(limit))
	return c
}

func clampLimit(limit int64) int64 {
	switch {
	case limit <= 0:
		return 0
	case limit > MaxLimit:
		return MaxLimit
	}
	return limit
}

// Limit is the limit in bytes per second, 0 when unlimited.
func (c *Channel) Limit() int64 { return c.limit.Load() }

// Unlimited reports whether the channel lets everything through.
func (c *Channel) Unlimited() bool { return c.limit.Load() == 0 }

// AllUnlimited reports whether none of chans limits anything (nil entries
// are skipped). It is the hot path of every unlimited peer: a few atomic
// loads, safe without the caller's lock.
func AllUnlimited(chans []*Channel) bool {
	for _, c := range chans {
		if c != nil && c.limit.Load() != 0 {
			return false
		}
	}
	return true
}

// SetLimit changes the limit at now. Quota accrued until now is counted at
// the old rate first. Going from unlimited to limited starts an empty
// bucket; lowering the limit drops saved quota above the new burst unless
// requests are waiting for it.
func (c *Channel) SetLimit(limit int64, now time.Time) {
	limit = clampLimit(limit)
	old := c.limit.Load()
	if old == limit {
		return
	}
	c.refill(now)
	c.limit.Store(limit)
	if old == 0 || limit == 0 {
		c.quota, c.carry = 0, 0
		c.last = now
		return
	}
	if b := c.Burst(); c.waiters == 0 && c.quota > b {
		c.quota = b
	}
}

// Priority is the channel's priority for the bandwidth manager, 1..255: a
// peer class's upload or download priority. Requests take the highest
// priority of the channels they name (see Priority).
func (c *Channel) Priority() int {
	if c.priority < 1 {
		return 1
	}
	return c.priority
}

// SetPriority sets the priority, clamped to 1..255 as libtorrent does.
func (c *Channel) SetPriority(p int) { c.priority = clampPriority(p) }

func clampPriority(p int) int { return max(1, min(255, p)) }

// Priority is the priority of a request drawing from chans: the highest of
// their priorities, 1 when there are none (libtorrent's get_priority looks
// at every class of the peer and of its torrent, limited or not).
func Priority(chans []*Channel) int {
	p := 1
	for _, c := range chans {
		if c != nil && c.Priority() > p {
			p = c.Priority()
		}
	}
	return p
}

// Burst is how much quota the channel saves while nobody waits on it: a
// fifth of a second of its limit, at least one byte (0 when unlimited).
func (c *Channel) Burst() int64 {
	l := c.limit.Load()
	if l == 0 {
		return 0
	}
	return max(1, l/burstDivisor)
}

// Quota is the quota available as of the last update (negative: debt). It
// does not accrue; Manager calls bring it up to date.
func (c *Channel) Quota() int64 { return c.quota }

// Use charges n bytes that moved without a request (IP overhead). The quota
// may go into debt. Unlimited channels ignore it, as libtorrent's use_quota.
func (c *Channel) Use(n int64) {
	if n <= 0 || c.limit.Load() == 0 {
		return
	}
	c.quota -= n
}

// refill brings quota up to now.
func (c *Channel) refill(now time.Time) {
	l := c.limit.Load()
	if l == 0 || c.last.IsZero() {
		c.last = now
		return
	}
	dt := now.Sub(c.last)
	if dt <= 0 {
		return
	}
	c.last = now
	ceiling := c.Burst()
	if c.waiters > 0 {
		ceiling = maxOwed * l
	}
	if c.quota >= ceiling {
		c.carry = 0
		return
	}
	// Whole seconds that more than fill the bucket fill it; what is left
	// keeps the products below in int64 (l <= 2^33, ns < 1e9).
	secs, ns := int64(dt/time.Second), int64(dt%time.Second)
	if secs > (ceiling-c.quota)/l {
		c.quota, c.carry = ceiling, 0
		return
	}
	x := ns*l + c.carry
	add := secs*l + x/int64(time.Second)
	c.carry = x % int64(time.Second)
	c.quota = min(ceiling, c.quota+add)
}
