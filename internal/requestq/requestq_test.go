package requestq

import (
	"testing"
	"time"
)

var lim = Limits{QueueTime: 3 * time.Second, MaxOut: 500, RequestTimeout: 60 * time.Second, PieceTimeout: 20 * time.Second, BlockSize: 16 << 10}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// The depth after slow start is request_queue_time seconds of the rate in
// blocks, within [MinDepth, max_out_request_queue] and the peer's reqq.
func TestDepthFromRate(t *testing.T) {
	for _, c := range []struct {
		name string
		lim  Limits
		reqq int
		rate int
		want int
	}{
		{"3 s of 1 MiB/s", lim, 0, 1 << 20, 192},
		{"slow peer: the floor", lim, 0, 1000, MinDepth},
		{"idle peer: the floor", lim, 0, 0, MinDepth},
		{"fast peer: max_out_request_queue", lim, 0, 100 << 20, 500},
		{"reqq below the setting", lim, 250, 100 << 20, 250},
		{"reqq above the setting", lim, 2000, 100 << 20, 500},
		{"request_queue_time 1", Limits{QueueTime: time.Second, MaxOut: 500, RequestTimeout: time.Minute, PieceTimeout: time.Minute, BlockSize: 16 << 10}, 0, 1 << 20, 64},
		{"reqq below the floor: reqq", lim, 1, 1 << 20, 1},
		{"max_out_request_queue 0: one", Limits{QueueTime: 3 * time.Second, MaxOut: 0, RequestTimeout: time.Minute, PieceTimeout: time.Minute, BlockSize: 16 << 10}, 0, 1 << 20, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := New(lim)
			s.SetPeerQueue(c.reqq, c.lim)
			s.slowStart = false
			s.Second(at(1), c.lim, Tick{Rate: c.rate})
			if got := s.Depth(); got != c.want {
				t.Fatalf("depth %d, want %d", got, c.want)
			}
			if at := s.AtLimit(c.lim); at != (c.want >= s.MaxOut(c.lim)) {
				t.Fatalf("AtLimit %v at depth %d of %d", at, c.want, s.MaxOut(c.lim))
			}
		})
	}
}

// Slow start: the depth begins at 4 and grows a request per block
// received until a second's payload is no more than 5000 bytes above the
// previous one's; then the rate decides. A choked second does not end it.
func TestSlowStart(t *testing.T) {
	s := New(lim)
	if s.Depth() != initialDepth || !s.SlowStart() {
		t.Fatalf("new: depth %d slow start %v", s.Depth(), s.SlowStart())
	}
	s.Sent(at(0), true)
	for i := range 10 {
		s.Received(at(0.01*float64(i+1)), lim, true)
	}
	if s.Depth() != initialDepth+10 {
		t.Fatalf("after 10 blocks: depth %d, want %d", s.Depth(), initialDepth+10)
	}
	steps := []struct {
		tick      Tick
		slowStart bool
	}{
		{Tick{Outstanding: 1, Payload: 100 << 10, Rate: 30 << 10}, true},  // first second: nothing to compare
		{Tick{Outstanding: 1, Payload: 300 << 10, Rate: 100 << 10}, true}, // growing
		{Tick{Outstanding: 1, Choked: true, Payload: 0, Rate: 60 << 10}, true},
		{Tick{Outstanding: 1, Payload: 300 << 10, Rate: 100 << 10}, true},
		{Tick{Outstanding: 1, Payload: 302 << 10, Rate: 150 << 10}, false}, // flat: ends
	}
	for i, st := range steps {
		s.Received(at(float64(i+1)), lim, true)
		s.Second(at(float64(i+1)+0.5), lim, st.tick)
		if s.SlowStart() != st.slowStart {
			t.Fatalf("second %d: slow start %v, want %v", i+1, s.SlowStart(), st.slowStart)
		}
	}
	if want := 3 * (150 << 10) / (16 << 10); s.Depth() != want {
		t.Fatalf("after slow start: depth %d, want %d (3 s of the rate)", s.Depth(), want)
	}
}

// The request timeout is learned from the peer's times per block: none
// known, request_timeout; one, a fifth over it; more, the mean and four
// mean deviations; rounded up to seconds, within [2 s, request_timeout].
func TestTimeout(t *testing.T) {
	for _, c := range []struct {
		name    string
		samples []time.Duration
		lim     time.Duration
		want    time.Duration
	}{
		{"no sample", nil, 60 * time.Second, 60 * time.Second},
		{"one sample", []time.Duration{10 * time.Second}, 60 * time.Second, 12 * time.Second},
		{"steady 5 s", []time.Duration{5 * time.Second, 5 * time.Second, 5 * time.Second}, 60 * time.Second, 5 * time.Second},
		{"jittery: mean and 4 deviations", []time.Duration{4 * time.Second, 6 * time.Second}, 60 * time.Second, 13 * time.Second},
		{"fast peer: 2 s floor", []time.Duration{time.Millisecond, 2 * time.Millisecond}, 60 * time.Second, 2 * time.Second},
		{"slow peer: request_timeout", []time.Duration{50 * time.Second, 70 * time.Second}, 60 * time.Second, 60 * time.Second},
		{"rounded up", []time.Duration{2500 * time.Millisecond, 2500 * time.Millisecond}, 60 * time.Second, 3 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := New(lim)
			for _, d := range c.samples {
				s.times.add(d)
			}
			l := lim
			l.RequestTimeout = c.lim
			if got := s.Timeout(l); got != c.want {
				t.Fatalf("timeout %s, want %s (mean %s dev %s)", got, c.want, s.times.mean, s.times.dev)
			}
		})
	}
}

// The running averages weigh the first samples equally, then forget.
func TestSliding(t *testing.T) {
	var a sliding
	for _, d := range []time.Duration{2, 4, 6} {
		a.add(d * time.Second)
	}
	if a.mean != 4*time.Second || a.dev != 2500*time.Millisecond {
		t.Fatalf("mean %s dev %s, want 4s 2.5s", a.mean, a.dev)
	}
	for range 200 {
		a.add(time.Second)
	}
	if a.mean > time.Second+time.Millisecond || a.dev > time.Millisecond || a.n != slidingGain {
		t.Fatalf("after 200 samples of 1 s: mean %s dev %s n %d", a.mean, a.dev, a.n)
	}
}

// A peer is snubbed when requests are outstanding and no block came for
// piece_timeout, or the awaited block is later than the request timeout;
// then a request times out every second it stays late. A block in time
// unsnubs it; a late one restarts the wait. Our own stalls and an empty
// queue never count against the peer.
func TestSnub(t *testing.T) {
	type step struct {
		at       float64
		sent     bool // requests go out (into an empty queue when empty)
		empty    bool
		recv     bool // a block arrives
		more     bool // with more outstanding
		tick     *Tick
		want     Decision
		unsnub   bool
		snubbed  bool
		depthOne bool
	}
	out := func(n int) *Tick { return &Tick{Outstanding: n, Rate: 1 << 20} }
	stalled := &Tick{Outstanding: 5, Rate: 1 << 20, Stalled: true}
	for _, c := range []struct {
		name  string
		lim   Limits
		steps []step
	}{
		{"piece_timeout: no block for 20 s", lim, []step{
			{at: 0, sent: true, empty: true},
			{at: 20, tick: out(5)},
			{at: 21, tick: out(5), want: Decision{Snubbed: true, TimeOut: true}, snubbed: true, depthOne: true},
			{at: 22, tick: out(4), want: Decision{TimeOut: true}, snubbed: true, depthOne: true},
		}},
		{"requests sent restart piece_timeout", lim, []step{
			{at: 0, sent: true, empty: true},
			{at: 15, sent: true},
			{at: 21, tick: out(5)},
			{at: 36, tick: out(5), want: Decision{Snubbed: true, TimeOut: true}, snubbed: true},
		}},
		{"nothing outstanding: never", lim, []step{
			{at: 0, sent: true, empty: true},
			{at: 1, recv: true},
			{at: 100, tick: out(0)},
		}},
		{"our stall: never", lim, []step{
			{at: 0, sent: true, empty: true},
			{at: 30, tick: stalled},
			{at: 45, tick: out(5)},
			{at: 51, tick: out(5), want: Decision{Snubbed: true, TimeOut: true}, snubbed: true},
		}},
		{"learned request timeout", Limits{QueueTime: 3 * time.Second, MaxOut: 500, RequestTimeout: 60 * time.Second, PieceTimeout: time.Hour, BlockSize: 16 << 10}, []step{
			{at: 0, sent: true, empty: true},
			{at: 1, recv: true, more: true},
			{at: 2, recv: true, more: true},
			{at: 3, recv: true, more: true}, // 1 s a block: timeout 2 s
			{at: 5, tick: out(5)},
			{at: 5.5, tick: out(5), want: Decision{Snubbed: true, TimeOut: true}, snubbed: true},
			{at: 6, recv: true, more: true, snubbed: true},  // 3 s late: still snubbed, wait restarts
			{at: 6.5, recv: true, more: true, unsnub: true}, // in time
			{at: 7, tick: out(5)},
		}},
		{"snubbed at request_timeout without samples", Limits{QueueTime: 3 * time.Second, MaxOut: 500, RequestTimeout: 10 * time.Second, PieceTimeout: time.Hour, BlockSize: 16 << 10}, []step{
			{at: 0, sent: true, empty: true},
			{at: 10, tick: out(5)},
			{at: 10.5, tick: out(5), want: Decision{Snubbed: true, TimeOut: true}, snubbed: true},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := New(lim)
			for i, st := range c.steps {
				now := at(st.at)
				var d Decision
				var un bool
				switch {
				case st.sent:
					s.Sent(now, st.empty)
				case st.recv:
					un = s.Received(now, c.lim, st.more)
				case st.tick != nil:
					d = s.Second(now, c.lim, *st.tick)
				}
				if d != st.want || un != st.unsnub || s.Snubbed() != st.snubbed {
					t.Fatalf("step %d (%gs): decision %+v unsnubbed %v snubbed %v, want %+v %v %v", i, st.at, d, un, s.Snubbed(), st.want, st.unsnub, st.snubbed)
				}
				if st.depthOne && s.Depth() != 1 {
					t.Fatalf("step %d: snubbed peer's depth %d, want 1", i, s.Depth())
				}
			}
		})
	}
}

// An unsnubbed peer leaves slow start and takes its depth from its rate
// at the next second.
func TestUnsnubbedDepth(t *testing.T) {
	s := New(lim)
	s.Sent(at(0), true)
	s.Second(at(21), lim, Tick{Outstanding: 3, Rate: 1 << 20})
	if !s.Snubbed() || s.Depth() != 1 || s.SlowStart() {
		t.Fatalf("snubbed %v depth %d slow start %v", s.Snubbed(), s.Depth(), s.SlowStart())
	}
	if !s.Received(at(21.5), lim, true) {
		t.Fatal("a block within the request timeout did not unsnub")
	}
	s.Second(at(22), lim, Tick{Outstanding: 2, Payload: 16 << 10, Rate: 1 << 20})
	if s.Snubbed() || s.Depth() != 192 {
		t.Fatalf("snubbed %v depth %d, want 192", s.Snubbed(), s.Depth())
	}
}

// A block no longer awaited (timed out) restarts both clocks but does not
// unsnub the peer.
func TestRedundantKeepsSnubbed(t *testing.T) {
	s := New(lim)
	s.Sent(at(0), true)
	s.Second(at(21), lim, Tick{Outstanding: 3})
	s.Redundant(at(21.5), true)
	if !s.Snubbed() {
		t.Fatal("a timed-out block unsnubbed the peer")
	}
	if d := s.Second(at(22), lim, Tick{Outstanding: 2}); d.TimeOut {
		t.Fatalf("%+v right after a block arrived", d)
	}
}
