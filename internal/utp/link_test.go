package utp

import (
	"bytes"
	"container/heap"
	"math/rand/v2"
	"testing"
	"time"
)

// linkConfig describes the simulated path, the same in both directions.
type linkConfig struct {
	delay  time.Duration // one-way propagation delay
	jitter time.Duration // extra random delay per packet, order kept
	// reorder is the probability that a packet leaves the queue's order
	// and arrives up to reorderBy late, letting later packets pass it.
	reorder   float64
	reorderBy time.Duration
	loss      float64 // probability a datagram is dropped
	dup       float64 // probability a datagram is delivered twice
	// rate, when set, serialises datagrams at this many bytes per second
	// behind a queue of at most maxQueue delay (tail drop): a bottleneck
	// for LEDBAT to keep from filling.
	rate     int
	maxQueue time.Duration
	// maxDatagram is the path MTU (0 = none): a larger datagram sent with
	// don't-fragment (an MTU probe) is dropped, any other is fragmented and
	// delivered, as on IPv4.
	maxDatagram int
	// drop, when set, decides a datagram's fate before the random loss.
	drop func(from int, p Packet) bool
}

type flight struct {
	at  time.Time
	to  int
	b   []byte
	ord int // tie-break: FIFO among equal times
}

// sim runs two Conns against each other over a link in virtual time.
type sim struct {
	t     testing.TB
	cfg   Config
	link  linkConfig
	rng   *rand.Rand
	start time.Time
	now   time.Time
	conns [2]*Conn // 0 initiates; 1 is created by the first SYN
	isn   uint16   // the acceptor's initial sequence number

	flights     flightHeap
	ord         int
	busyUntil   [2]time.Time
	lastArrival [2]time.Time
	maxQueued   time.Duration // longest queuing delay seen at the bottleneck
	delivered   [2]int        // datagrams delivered to each side
	sent        [2][numTypes]int
	maxSize     int // largest datagram sent
	probes      int // datagrams sent as MTU probes
	fragmented  int // datagrams over the path MTU that went without DF
	dropped     int

	trace bool        // log every datagram sent
	wakes []time.Time // times the application wants to run at

	// app runs after every event: the tests' application.
	app func(s *sim)
}

func newSim(t testing.TB, cfg Config, link linkConfig, seed uint64) *sim {
	start := time.Unix(1_700_000_000, 0)
	s := &sim{t: t, cfg: cfg, link: link, rng: rand.New(rand.NewPCG(seed, 7)), start: start, now: start, isn: 0xfff0}
	// Both initial sequence numbers sit just below the wrap.
	s.conns[0] = NewInitiator(cfg, 0x1234, 0xffe0, s.now)
	return s
}

func (s *sim) collect() {
	for from, c := range s.conns {
		if c == nil {
			continue
		}
		for _, d := range c.Outgoing(nil) {
			if d.Probe {
				s.probes++
			}
			s.maxSize = max(s.maxSize, len(d.B))
			// The Conn reuses d.B after its next Outgoing; in flight
			// the datagram needs its own copy.
			s.schedule(from, bytes.Clone(d.B), d.Probe)
		}
	}
}

func (s *sim) schedule(from int, b []byte, probe bool) {
	l := &s.link
	p, err := ParsePacket(b)
	if err != nil {
		s.t.Fatalf("side %d sent a packet that does not parse: %v", from, err)
	}
	s.sent[from][p.Type]++
	if s.trace {
		s.t.Logf("%v %d->: %v seq %d ack %d wnd %d len %d sack %x", s.elapsed(), from, p.Type, p.SeqNr, p.AckNr, p.WndSize, len(p.Payload), p.SACK)
	}
	if l.maxDatagram > 0 && len(b) > l.maxDatagram {
		if probe {
			s.dropped++
			return
		}
		s.fragmented++
	}
	if (l.drop != nil && l.drop(from, p)) || s.rng.Float64() < l.loss {
		s.dropped++
		return
	}
	depart := s.now
	if l.rate > 0 {
		depart = maxTime(s.now, s.busyUntil[from])
		if q := depart.Sub(s.now); q > l.maxQueue {
			s.dropped++
			return
		} else if q > s.maxQueued {
			s.maxQueued = q
		}
		depart = depart.Add(time.Duration(len(b)) * time.Second / time.Duration(l.rate))
		s.busyUntil[from] = depart
	}
	copies := 1
	if s.rng.Float64() < l.dup {
		copies = 2
	}
	for range copies {
		at := depart.Add(l.delay)
		if l.jitter > 0 {
			at = at.Add(time.Duration(s.rng.Int64N(int64(l.jitter))))
		}
		if l.reorder > 0 && s.rng.Float64() < l.reorder {
			at = at.Add(time.Duration(s.rng.Int64N(int64(l.reorderBy))))
		} else {
			// Delay varies, but a link does not reorder a queue.
			at = maxTime(at, s.lastArrival[from])
			s.lastArrival[from] = at
		}
		s.ord++
		heap.Push(&s.flights, flight{at: at, to: 1 - from, b: b, ord: s.ord})
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// step advances virtual time to the next event and handles it. It reports
// false when nothing is left to happen.
func (s *sim) step() bool {
	s.collect()
	next := time.Time{}
	consider := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if len(s.flights) > 0 {
		consider(s.flights[0].at)
	}
	for _, w := range s.wakes {
		if w.After(s.now) {
			consider(w)
		}
	}
	for _, c := range s.conns {
		if c != nil {
			consider(c.Deadline())
		}
	}
	if next.IsZero() {
		return false
	}
	if next.After(s.now) {
		s.now = next
	}
	got := [2]bool{}
	for len(s.flights) > 0 && !s.flights[0].at.After(s.now) {
		f := heap.Pop(&s.flights).(flight)
		p, err := ParsePacket(f.b)
		if err != nil {
			s.t.Fatal(err)
		}
		s.delivered[f.to]++
		if s.conns[f.to] == nil {
			if p.Type != TypeSyn {
				continue
			}
			s.conns[f.to] = NewAcceptor(s.cfg, p, s.isn, s.now)
		} else {
			s.conns[f.to].Incoming(p, s.now)
		}
		got[f.to] = true
	}
	for i, c := range s.conns {
		if c == nil {
			continue
		}
		if got[i] {
			c.Flush(s.now) // the read batch is drained
		}
		if d := c.Deadline(); !d.IsZero() && !d.After(s.now) {
			c.Tick(s.now)
			if s.trace {
				s.t.Logf("%v tick %d: %v err %v acked %d seq %d timeouts %d %+v", s.elapsed(), i, c.State(), c.Err(), c.ackedSeq, c.seqNr, c.numTimeouts, c.Stats())
			}
		}
	}
	if s.app != nil {
		s.app(s)
	}
	for i, c := range s.conns {
		if c == nil {
			continue
		}
		if err := c.invariantErr(); err != nil {
			s.t.Fatalf("side %d after %v: %v", i, s.elapsed(), err)
		}
	}
	return true
}

// run steps until done reports true, failing after limit of virtual time.
func (s *sim) run(limit time.Duration, done func() bool) {
	s.t.Helper()
	for !done() {
		if s.now.Sub(s.start) > limit {
			s.t.Fatalf("not done after %v of virtual time", limit)
		}
		if !s.step() {
			s.t.Fatalf("stuck at %v: nothing left to happen", s.now.Sub(s.start))
		}
	}
}

func (s *sim) elapsed() time.Duration { return s.now.Sub(s.start) }

// flightHeap orders datagrams in the air by arrival, FIFO among equals.
type flightHeap []flight

func (h flightHeap) Len() int { return len(h) }
func (h flightHeap) Less(i, j int) bool {
	if c := h[i].at.Compare(h[j].at); c != 0 {
		return c < 0
	}
	return h[i].ord < h[j].ord
}
func (h flightHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *flightHeap) Push(x any)   { *h = append(*h, x.(flight)) }
func (h *flightHeap) Pop() any {
	old := *h
	f := old[len(old)-1]
	*h = old[:len(old)-1]
	return f
}
