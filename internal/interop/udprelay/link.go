package udprelay

import (
	"math/rand/v2"
	"time"
)

// datagram is one datagram on its way through a link.
type datagram struct {
	b []byte  // payload, owned by the link once enqueued
	c *client // whose datagram it is (where it goes depends on the direction)
}

// scheduled is a datagram with the time it leaves.
type scheduled struct {
	datagram
	departAt time.Time
}

// heldBack is a datagram waiting for gap later ones to overtake it.
type heldBack struct {
	datagram
	gap      int       // later datagrams still to go ahead of it
	deadline time.Time // released anyway then (ReorderHold)
}

// link is one direction of the relay: one goroutine (run) owns the queues
// and the random source, so every decision is made in arrival order and a
// seed gives the same decisions for the same arrivals. Departure times
// never decrease (see schedule), so both queues are FIFOs and one timer
// for the earliest event replaces a timer or a sleep per datagram.
type link struct {
	imp        Impairment
	rng        *rand.Rand
	in         chan datagram
	send       func(datagram) error
	stats      *dirCounters
	maxQueued  int // datagrams in queue and held together
	maxBytes   int // their payload bytes
	queue      []scheduled
	held       []heldBack
	queuedSize int       // payload bytes in queue and held
	linkFree   time.Time // when the capped link finishes the last datagram
}

// newLink returns a link that calls send for each datagram it forwards.
// inCap bounds the datagrams waiting for run; seed and stream pick the
// random sequence.
func newLink(imp Impairment, seed, stream uint64, inCap, maxQueued, maxBytes int, stats *dirCounters, send func(datagram) error) *link {
	return &link{
		imp:       imp.withDefaults(),
		rng:       rand.New(rand.NewPCG(seed, stream)),
		in:        make(chan datagram, inCap),
		send:      send,
		stats:     stats,
		maxQueued: maxQueued,
		maxBytes:  maxBytes,
	}
}

// enqueue hands d to run without blocking: when run lags by a whole
// channel, d is dropped as a full socket buffer would drop it.
func (l *link) enqueue(d datagram) {
	select {
	case l.in <- d:
		l.stats.queued.Add(1)
	default:
		l.stats.overflow.Add(1)
	}
}

// run forwards datagrams until stop is closed; what is still queued then
// is discarded.
func (l *link) run(stop <-chan struct{}) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		var wake <-chan time.Time
		if next, ok := l.nextEvent(); ok {
			timer.Reset(time.Until(next))
			wake = timer.C
		}
		select {
		case <-stop:
			return
		case d := <-l.in:
			l.accept(d, time.Now())
		case <-wake:
		}
		l.flush(time.Now())
	}
}

// nextEvent is the earliest departure or hold deadline, if any.
func (l *link) nextEvent() (time.Time, bool) {
	var next time.Time
	if len(l.queue) > 0 {
		next = l.queue[0].departAt
	}
	if len(l.held) > 0 && (next.IsZero() || l.held[0].deadline.Before(next)) {
		next = l.held[0].deadline
	}
	return next, !next.IsZero()
}

// accept decides d's fate on arrival.
func (l *link) accept(d datagram, now time.Time) {
	if l.imp.Loss > 0 && l.rng.Float64() < l.imp.Loss {
		l.done(&l.stats.dropped)
		return
	}
	if len(l.queue)+len(l.held) >= l.maxQueued || l.queuedSize+len(d.b) > l.maxBytes {
		l.done(&l.stats.overflow)
		return
	}
	l.queuedSize += len(d.b)
	if l.imp.Reorder > 0 && l.rng.Float64() < l.imp.Reorder {
		l.held = append(l.held, heldBack{datagram: d, gap: l.imp.ReorderGap, deadline: now.Add(l.imp.ReorderHold)})
		return
	}
	l.schedule(d, now)
	// d went ahead of every held datagram: those it was the last to
	// overtake follow it. Held ones share one gap, so they come due in
	// the order they were held.
	for i := range l.held {
		l.held[i].gap--
	}
	for len(l.held) > 0 && l.held[0].gap == 0 {
		l.stats.reordered.Add(1)
		l.schedule(l.held[0].datagram, now)
		l.held[0] = heldBack{}
		l.held = l.held[1:]
	}
}

// schedule queues d to leave after the delay, the jitter and its turn on
// the capped link. A datagram never leaves before the one scheduled
// before it, so jitter delays without reordering.
func (l *link) schedule(d datagram, now time.Time) {
	ready := now.Add(l.imp.Delay)
	if l.imp.Jitter > 0 {
		ready = ready.Add(time.Duration(l.rng.Int64N(int64(l.imp.Jitter))))
	}
	if l.imp.delays() {
		l.stats.delayed.Add(1)
	}
	start := ready
	if l.linkFree.After(start) {
		start = l.linkFree
	}
	departAt := start.Add(l.imp.txTime(len(d.b)))
	l.linkFree = departAt
	l.queue = append(l.queue, scheduled{datagram: d, departAt: departAt})
}

// flush releases held datagrams whose wait is over and sends every
// datagram that is due.
func (l *link) flush(now time.Time) {
	for len(l.held) > 0 && !l.held[0].deadline.After(now) {
		l.schedule(l.held[0].datagram, now)
		l.held[0] = heldBack{}
		l.held = l.held[1:]
	}
	for len(l.queue) > 0 && !l.queue[0].departAt.After(now) {
		d := l.queue[0].datagram
		l.queue[0] = scheduled{} // let the payload go
		l.queue = l.queue[1:]
		l.queuedSize -= len(d.b)
		if err := l.send(d); err != nil {
			l.done(&l.stats.sendErrors)
		} else {
			l.done(&l.stats.forwarded)
		}
	}
}

// done counts a datagram's final outcome.
func (l *link) done(outcome interface{ Add(uint64) uint64 }) {
	outcome.Add(1)
	l.stats.queued.Add(-1)
}
