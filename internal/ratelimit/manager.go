package ratelimit

import (
	"math"
	"slices"
	"time"
)

// RequestID names a request; the caller picks it and keeps it unique among
// the requests it has queued.
type RequestID uint64

// Grant says a queued request got all its bytes.
type Grant struct {
	ID    RequestID
	Bytes int64
}

type request struct {
	id       RequestID
	size     int64
	assigned int64
	priority int64
	chans    []*Channel // the channels that were limited when it queued
}

// maxPasses bounds the rounds of sharing in one Tick. Each round hands the
// quota left over by requests that were capped (by their size or by another
// channel) to the others; two or three rounds settle it in practice.
const maxPasses = 8

// Manager is libtorrent's bandwidth_manager: requests for bytes queue on the
// channels that limit them, and Tick shares each channel's quota among its
// queued requests in proportion to their priority.
//
// Differences from libtorrent, each for a reason:
//   - A request is granted whole: the quota a tick assigns to it accumulates
//     until it covers the request (libtorrent hands partial quota back after
//     20 rounds because its peers can use partial quota; our callers ask for
//     exactly the bytes they are about to move).
//   - A request is served at once when every limited channel has the bytes
//     saved and nobody waits on it (libtorrent does so only with more than a
//     second saved); waiting requests are never overtaken.
//   - Quota left over by capped requests is shared again in the same tick
//     (up to maxPasses rounds) instead of waiting for the next one, and the
//     bytes that rounding leaves go first come first served.
//   - Next says when the next request can complete, so a caller ticks when
//     it is useful rather than on a fixed period.
//
// The zero value is ready to use.
type Manager struct {
	queue   []*request
	round   uint64
	scratch []*Channel
}

// NewManager returns an empty manager.
func NewManager() *Manager { return &Manager{} }

// Queued is the number of requests waiting.
func (m *Manager) Queued() int { return len(m.queue) }

// Assigned is the quota already handed to waiting requests (taken from
// their channels, not yet granted).
func (m *Manager) Assigned() int64 {
	var n int64
	for _, r := range m.queue {
		n += r.assigned
	}
	return n
}

// Request asks for n bytes drawn from every channel of chans at priority
// prio (1..255; see Priority). It reports true when the bytes are granted
// now: n <= 0, no channel of chans is limited, or every limited one has n
// bytes saved and nobody waiting. Otherwise the request queues under id and
// a later Tick grants it. Unlimited channels are not remembered: a request
// never waits on them, and one that only names unlimited channels costs a
// few loads and never queues. A channel named twice counts once.
func (m *Manager) Request(id RequestID, n int64, prio int, chans []*Channel, now time.Time) bool {
	if n <= 0 || AllUnlimited(chans) {
		return true
	}
	ready := true
	for _, c := range chans {
		if c == nil || c.Unlimited() {
			continue
		}
		c.refill(now)
		if c.waiters > 0 || c.quota < n {
			ready = false
		}
	}
	if ready {
		for i, c := range chans {
			if c != nil && !c.Unlimited() && !slices.Contains(chans[:i], c) {
				c.quota -= n
			}
		}
		return true
	}
	r := &request{id: id, size: n, priority: int64(clampPriority(prio))}
	for _, c := range chans {
		if c == nil || c.Unlimited() || slices.Contains(r.chans, c) {
			continue
		}
		r.chans = append(r.chans, c)
		c.waiters++
	}
	m.queue = append(m.queue, r)
	return false
}

// Cancel removes a queued request (its caller gave up) and returns the
// quota already assigned to it to its channels, as libtorrent does for a
// peer that disconnects. It reports whether id was queued.
func (m *Manager) Cancel(id RequestID) bool {
	i := slices.IndexFunc(m.queue, func(r *request) bool { return r.id == id })
	if i < 0 {
		return false
	}
	r := m.queue[i]
	for _, c := range r.chans {
		c.quota += r.assigned
		c.waiters--
	}
	m.queue = slices.Delete(m.queue, i, i+1)
	return true
}

// Tick brings every channel with waiting requests up to now, shares their
// quota among the requests and appends the grants of the requests now
// covered to dst, in queue order. A request whose channels all became
// unlimited is granted. next is when the next Tick is due (see Next); the
// zero time when nothing waits.
func (m *Manager) Tick(now time.Time, dst []Grant) (grants []Grant, next time.Time) {
	if len(m.queue) == 0 {
		return dst, time.Time{}
	}
	chans := m.channels()
	for _, c := range chans {
		c.refill(now)
	}
	for _, r := range m.queue {
		r.dropUnlimited()
	}
	m.share(chans)
	kept := m.queue[:0]
	for _, r := range m.queue {
		if r.assigned < r.size {
			kept = append(kept, r)
			continue
		}
		for _, c := range r.chans {
			c.waiters--
		}
		dst = append(dst, Grant{ID: r.id, Bytes: r.size})
	}
	clear(m.queue[len(kept):])
	m.queue = kept
	return dst, m.Next(now)
}

// dropUnlimited forgets channels whose limit was lifted since r queued;
// with none left r is covered.
func (r *request) dropUnlimited() {
	kept := r.chans[:0]
	for _, c := range r.chans {
		if c.Unlimited() {
			c.waiters--
			continue
		}
		kept = append(kept, c)
	}
	clear(r.chans[len(kept):])
	r.chans = kept
	if len(kept) == 0 {
		r.assigned = r.size
	}
}

// channels lists each channel named by a queued request once.
func (m *Manager) channels() []*Channel {
	m.round++
	m.scratch = m.scratch[:0]
	for _, r := range m.queue {
		for _, c := range r.chans {
			if c.mark != m.round {
				c.mark = m.round
				m.scratch = append(m.scratch, c)
			}
		}
	}
	return m.scratch
}

// share runs libtorrent's distribution in rounds: in each, every request
// that can draw (all its channels have quota) takes from each channel
// quota*priority/sum-of-priorities of that channel's drawing requests, the
// smallest such share over its channels, capped by what it still needs;
// every channel gives it that much. Shares are computed from the quota at
// the start of the round, so queue order does not matter.
func (m *Manager) share(chans []*Channel) {
	defer m.shareCrumbs(chans)
	for range maxPasses {
		for _, c := range chans {
			c.prioSum = 0
			c.avail = max(c.quota, 0)
		}
		drawing := false
		for _, r := range m.queue {
			if r.canDraw() {
				drawing = true
				for _, c := range r.chans {
					c.prioSum += r.priority
				}
			}
		}
		if !drawing {
			return
		}
		var moved int64
		for _, r := range m.queue {
			if !r.canDraw() {
				continue
			}
			take := r.size - r.assigned
			for _, c := range r.chans {
				take = min(take, c.avail*r.priority/c.prioSum)
			}
			if take <= 0 {
				continue
			}
			r.assigned += take
			for _, c := range r.chans {
				c.quota -= take
			}
			moved += take
		}
		if moved == 0 {
			return
		}
	}
}

// shareCrumbs hands out what proportional sharing leaves because every
// share rounded down to nothing (fewer bytes than the sum of priorities),
// first come first served. Without it a channel whose quota stays below the
// sum of its waiters' priorities (10 B/s holds 30 bytes; a thousand waiters)
// would serve nobody, ever. The head of the queue gets the crumbs, leaves
// when complete and queues again at the back, so they go round.
func (m *Manager) shareCrumbs(chans []*Channel) {
	for _, c := range chans {
		c.avail = max(c.quota, 0)
	}
	for _, r := range m.queue {
		if !r.canDraw() {
			continue
		}
		take := r.size - r.assigned
		for _, c := range r.chans {
			take = min(take, c.avail)
		}
		r.assigned += take
		for _, c := range r.chans {
			c.quota -= take
			c.avail -= take
		}
	}
}

func (r *request) canDraw() bool {
	if r.assigned >= r.size {
		return false
	}
	for _, c := range r.chans {
		if c.avail <= 0 {
			return false
		}
	}
	return true
}

// Next is the earliest time a Tick can complete a waiting request, or must
// run so that no quota is lost, assuming each channel keeps sharing among
// the requests waiting now. For each request and each of its channels: the
// time until the channel has given it what it still needs (after paying off
// any debt), but no later than the time the channel fills up to what it may
// hold for its waiters (three seconds of its limit), since a channel that
// is full stops accruing; the request's time is the latest over its
// channels, and Next the earliest over requests. It brings the channels'
// quota up to now first. It is an estimate (a tick before it only assigns
// part of the quota, which is kept), and it is now when a request is
// already covered. The zero time when nothing waits.
func (m *Manager) Next(now time.Time) time.Time {
	if len(m.queue) == 0 {
		return time.Time{}
	}
	chans := m.channels()
	for _, c := range chans {
		c.refill(now)
		c.prioSum = 0
	}
	for _, r := range m.queue {
		for _, c := range r.chans {
			c.prioSum += r.priority
		}
	}
	best := math.Inf(1)
	for _, r := range m.queue {
		need := float64(r.size - r.assigned)
		wait := 0.0
		for _, c := range r.chans {
			l := float64(c.Limit())
			if l == 0 {
				continue // dropped at the next tick
			}
			part := float64(r.priority) / float64(c.prioSum)
			q := float64(c.quota)
			w := 0.0
			if q < 0 {
				w = (-q + need/part) / l
			} else {
				w = (need - q*part) / (l * part)
			}
			full := max(0, (float64(maxOwed)*l-q)/l)
			wait = max(wait, min(w, full))
		}
		best = min(best, wait)
	}
	if best <= 0 {
		return now
	}
	// Round up, plus a microsecond so that the quota accrued by then covers
	// the request despite rounding.
	d := math.Ceil(best * float64(time.Second))
	return now.Add(time.Duration(d) + time.Microsecond)
}
