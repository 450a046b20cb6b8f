package actors

import (
	"context"
	"sync"
	"time"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/ratelimit"
)

// minTickGap is the shortest time between two ticks of the bandwidth
// manager. Ticks come when the manager says a waiting request can be
// completed, which at high rates with small blocks could be every few
// microseconds; a millisecond bounds the wake-ups to a thousand a second,
// and what accrues in between is served at once to the next requests.
const minTickGap = time.Millisecond

// Bandwidth is the rate-limit gate that every peer's reader and writer
// goroutines go through (DESIGN §3: the session owns peer classes and
// global limits; the peer's goroutines move the bytes). It holds the
// bandwidth manager and the peer classes under one mutex; a peer gathers
// its channels once (its classes' through ClassChannels, its torrent's) and
// calls Acquire before moving bytes.
//
// Acquire returns at once, with no lock and no allocation, when every
// channel it names is unlimited. Otherwise it queues with the manager and
// blocks until its bytes are granted. One ticker goroutine runs while
// something waits and stops when nothing does.
//
// Ticks: libtorrent hands out quota every tick_interval (500 ms). Its peers
// ask for about 1.5 tick intervals of their rate at a time, so one grant a
// tick keeps them busy; our callers ask for the block they are about to
// move, and one 16 KiB block per 500 ms tick would hold a peer to 32 KiB/s.
// So the ticker wakes when the manager says the next waiting request can be
// completed (at most every millisecond, see minTickGap), and at the latest
// every tick interval. That keeps every waiter moving at its share and
// keeps grants as smooth as the blocks allow, which is what holds a limit
// within a few percent over seconds.
//
// Channels must be changed only through the gate (SetLimit, the class
// methods), never directly: the manager reads them under the gate's lock.
type Bandwidth struct {
	mu           sync.Mutex
	mgr          ratelimit.Manager
	classes      *ratelimit.Registry
	waiting      map[ratelimit.RequestID]chan struct{}
	nextID       ratelimit.RequestID
	grants       []ratelimit.Grant
	tickInterval time.Duration
	closed       bool

	// classFilter maps a peer's address to its class mask (an immutable
	// snapshot, replaced whole); typeFilter then adjusts the mask by
	// socket type (bandwidth_classes.go).
	classFilter *ipfilter.IPFilter
	typeFilter  ratelimit.TypeFilter

	ticking    bool          // a ticker goroutine is running
	tickerDone chan struct{} // closed when the current ticker returns
	kick       chan struct{} // wakes the ticker to plan again (cap 1)
	quit       chan struct{} // closed by Close
}

// NewBandwidth returns a gate with the built-in peer classes, all
// unlimited, libtorrent's default class filter (local networks in the
// local class) and its default type filter. tickInterval is libtorrent's tick_interval setting (500 ms
// when <= 0): the longest the ticker sleeps while requests wait.
func NewBandwidth(tickInterval time.Duration) *Bandwidth {
	b := &Bandwidth{
		classes:     ratelimit.NewRegistry(),
		waiting:     make(map[ratelimit.RequestID]chan struct{}),
		kick:        make(chan struct{}, 1),
		quit:        make(chan struct{}),
		classFilter: DefaultClassFilter(true),
		typeFilter:  ratelimit.DefaultTypeFilter(),
	}
	b.tickInterval = tickIntervalOrDefault(tickInterval)
	return b
}

func tickIntervalOrDefault(d time.Duration) time.Duration {
	if d <= 0 {
		return 500 * time.Millisecond
	}
	return d
}

// Acquire blocks until n bytes may move through every channel of chans,
// ctx is done (then it returns ctx.Err() and gives back any quota already
// assigned to it), or the gate is closed (then it returns nil at once: the
// owner is shutting down). Unlimited and nil channels never hold it back;
// when all are, it returns at once. The priority is the highest of the
// channels' (see ratelimit.Priority).
func (b *Bandwidth) Acquire(ctx context.Context, n int64, chans ...*ratelimit.Channel) error {
	if ratelimit.AllUnlimited(chans) {
		return nil // a few loads, inlined into the caller
	}
	return b.acquire(ctx, n, chans)
}

func (b *Bandwidth) acquire(ctx context.Context, n int64, chans []*ratelimit.Channel) error {
	if n <= 0 {
		return nil
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	id := b.nextID
	b.nextID++
	if b.mgr.Request(id, n, ratelimit.Priority(chans), chans, time.Now()) {
		b.mu.Unlock()
		return nil
	}
	granted := make(chan struct{})
	b.waiting[id] = granted
	b.wakeTicker()
	b.mu.Unlock()

	select {
	case <-granted:
		return nil
	case <-ctx.Done():
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mgr.Cancel(id) {
		delete(b.waiting, id)
		b.kickTicker() // the others' shares grew
		return ctx.Err()
	}
	// Granted (or closed) while ctx ended: the bytes are ours.
	return nil
}

// Charge takes n bytes that moved without Acquire (the TCP/IP overhead that
// rate_limit_ip_overhead charges, see ratelimit.IPOverhead) from every
// limited channel of chans; they may go into debt, which later requests
// wait out.
func (b *Bandwidth) Charge(n int64, chans ...*ratelimit.Channel) {
	if n <= 0 || ratelimit.AllUnlimited(chans) {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, c := range chans {
		if c != nil && !containsChannel(chans[:i], c) {
			c.Use(n)
		}
	}
}

func containsChannel(chans []*ratelimit.Channel, c *ratelimit.Channel) bool {
	for _, x := range chans {
		if x == c {
			return true
		}
	}
	return false
}

// SetLimit changes a channel's limit (bytes per second, 0 unlimited), such
// as a torrent's upload or download channel; waiters see it at once.
func (b *Bandwidth) SetLimit(c *ratelimit.Channel, limit int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c.SetLimit(limit, time.Now())
	b.kickTicker()
}

// SetTickInterval applies a new tick_interval setting.
func (b *Bandwidth) SetTickInterval(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tickInterval = tickIntervalOrDefault(d)
	b.kickTicker()
}

// CreateClass adds a peer class (libtorrent's create_peer_class).
func (b *Bandwidth) CreateClass(label string) (ratelimit.ClassID, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.classes.Create(label)
}

// DeleteClass removes a peer class created by CreateClass; peers already in
// it keep its channels until they go (see ratelimit.Registry).
func (b *Bandwidth) DeleteClass(id ratelimit.ClassID) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.classes.Delete(id)
}

// Class returns a peer class's settings (libtorrent's get_peer_class).
func (b *Bandwidth) Class(id ratelimit.ClassID) (ratelimit.Class, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.classes.Get(id)
}

// SetClass changes a peer class's settings (libtorrent's set_peer_class).
func (b *Bandwidth) SetClass(id ratelimit.ClassID, c ratelimit.Class) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.classes.Set(id, c, time.Now())
	b.kickTicker()
	return err
}

// SetClassLimit changes one limit of a peer class: the session's
// upload_rate_limit and download_rate_limit are the global class's.
func (b *Bandwidth) SetClassLimit(id ratelimit.ClassID, d ratelimit.Direction, limit int64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	err := b.classes.SetLimit(id, d, limit, time.Now())
	b.kickTicker()
	return err
}

// ClassChannels appends the direction-d channels of the classes in mask (a
// new peer's mask: the class filter's for its address, then the type
// filter applied) to dst. A peer keeps them for its life, as libtorrent
// assigns classes when a peer connects.
func (b *Bandwidth) ClassChannels(mask uint32, d ratelimit.Direction, dst []*ratelimit.Channel) []*ratelimit.Channel {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.classes.Channels(mask, d, dst)
}

// IgnoreUnchokeSlots reports whether a peer of the classes in mask is
// always unchoked.
func (b *Bandwidth) IgnoreUnchokeSlots(mask uint32) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.classes.IgnoreUnchokeSlots(mask)
}

// ConnectionLimitFactor is the connection_limit_factor for a peer of the
// classes in mask (see ratelimit.ConnectionLimit).
func (b *Bandwidth) ConnectionLimitFactor(mask uint32) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.classes.ConnectionLimitFactor(mask)
}

// Waiting is the number of Acquire calls blocked now.
func (b *Bandwidth) Waiting() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.waiting)
}

// Close lets every current and future Acquire through and stops the
// ticker, waiting for it to return.
func (b *Bandwidth) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	for id, ch := range b.waiting {
		close(ch)
		delete(b.waiting, id)
	}
	close(b.quit)
	done := b.tickerDone
	b.mu.Unlock()
	if done != nil {
		<-done
	}
}

// wakeTicker starts the ticker, or has the running one plan again. Called
// with b.mu held.
func (b *Bandwidth) wakeTicker() {
	if b.ticking {
		b.kickTicker()
		return
	}
	b.ticking = true
	b.tickerDone = make(chan struct{})
	go b.runTicker(b.tickerDone)
}

// kickTicker has a running ticker plan again (a limit or the queue
// changed). Called with b.mu held.
func (b *Bandwidth) kickTicker() {
	if !b.ticking {
		return
	}
	select {
	case b.kick <- struct{}{}:
	default: // a kick is pending already
	}
}

// runTicker ticks the manager while requests wait: at once when started,
// then when the manager says a request can be completed, no sooner than
// minTickGap after the last tick and no later than the tick interval. A
// kick (a request queued or left, a limit changed) only plans again; the
// manager's Next asks for a tick at once when one is due, such as after a
// limit was lowered below what its channel holds. It returns when nothing
// waits or the gate closes.
func (b *Bandwidth) runTicker(done chan struct{}) {
	defer close(done)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var due, last time.Time
	for {
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			return
		}
		now := time.Now()
		var next time.Time
		if !now.Before(due) {
			b.grants, next = b.mgr.Tick(now, b.grants[:0])
			for _, g := range b.grants {
				if ch, ok := b.waiting[g.ID]; ok {
					close(ch)
					delete(b.waiting, g.ID)
				}
			}
			last = now
		} else {
			next = b.mgr.Next(now)
		}
		if b.mgr.Queued() == 0 {
			b.ticking = false
			b.mu.Unlock()
			return
		}
		due = next
		if latest := now.Add(b.tickInterval); due.IsZero() || due.After(latest) {
			due = latest
		}
		if earliest := last.Add(min(minTickGap, b.tickInterval)); due.Before(earliest) {
			due = earliest
		}
		b.mu.Unlock()

		timer.Reset(due.Sub(now))
		select {
		case <-timer.C:
		case <-b.kick:
		case <-b.quit:
			return
		}
	}
}
