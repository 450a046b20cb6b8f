package udprelay

import (
	"encoding/binary"
	"math"
	"testing"
	"testing/synctest"
	"time"
)

// arrival is a datagram as a test link delivered it.
type arrival struct {
	seq  int
	sent time.Time // when the test enqueued it
	at   time.Time // when the link sent it
}

// linkRig runs one link inside a synctest bubble, with datagrams that
// carry their sequence number and send time.
type linkRig struct {
	t        *testing.T
	l        *link
	stats    dirCounters
	stop     chan struct{}
	done     chan struct{}
	arrivals []arrival
}

func newLinkRig(t *testing.T, imp Impairment, seed uint64, maxQueued, maxBytes int) *linkRig {
	r := &linkRig{t: t, stop: make(chan struct{}), done: make(chan struct{})}
	r.l = newLink(imp, seed, 1, inboxCap, maxQueued, maxBytes, &r.stats, func(d datagram) error {
		seq, sent := int(binary.BigEndian.Uint64(d.b)), int64(binary.BigEndian.Uint64(d.b[8:]))
		r.arrivals = append(r.arrivals, arrival{seq: seq, sent: time.Unix(0, sent), at: time.Now()})
		return nil
	})
	go func() { defer close(r.done); r.l.run(r.stop) }()
	return r
}

// send enqueues datagram seq of size bytes (at least 16: its sequence
// number and send time, which travel in it so that the link's goroutine
// shares nothing with the test's) and lets the link take it.
func (r *linkRig) send(seq, size int) {
	b := make([]byte, max(size, 16))
	binary.BigEndian.PutUint64(b, uint64(seq))
	binary.BigEndian.PutUint64(b[8:], uint64(time.Now().UnixNano()))
	r.l.enqueue(datagram{b: b})
	synctest.Wait()
}

// finish waits (in virtual time) until the link holds nothing, then stops it.
func (r *linkRig) finish() DirStats {
	for r.stats.queued.Load() > 0 {
		time.Sleep(time.Millisecond)
		synctest.Wait()
	}
	close(r.stop)
	<-r.done
	return r.stats.snapshot()
}

// inversions counts arrivals that came after a datagram sent later.
func inversions(as []arrival) int {
	n, highest := 0, -1
	for _, a := range as {
		if a.seq < highest {
			n++
		}
		highest = max(highest, a.seq)
	}
	return n
}

func TestLinkLosslessKeepsOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newLinkRig(t, Impairment{}, 1, 100, 1<<20)
		for i := range 1000 {
			r.send(i, 100)
		}
		st := r.finish()
		if len(r.arrivals) != 1000 || st.Forwarded != 1000 {
			t.Fatalf("%d arrived, stats %+v; want 1000", len(r.arrivals), st)
		}
		for i, a := range r.arrivals {
			if a.seq != i || !a.at.Equal(a.sent) {
				t.Fatalf("arrival %d is datagram %d after %v; want %d at once", i, a.seq, a.at.Sub(a.sent), i)
			}
		}
	})
}

// TestLinkLossIsBinomial: 1% of 20k datagrams dropped is 200 ± 14 (one
// standard deviation); the bound is six of them either side.
func TestLinkLossIsBinomial(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		synctest.Test(t, func(t *testing.T) {
			const n, p = 20000, 0.01
			r := newLinkRig(t, Impairment{Loss: p}, seed, 100, 1<<20)
			for i := range n {
				r.send(i, 16)
			}
			st := r.finish()
			mean, sd := n*p, math.Sqrt(n*p*(1-p))
			if d := float64(st.Dropped); d < mean-6*sd || d > mean+6*sd {
				t.Errorf("seed %d: %d dropped of %d; want %.0f ± %.0f", seed, st.Dropped, n, mean, 6*sd)
			}
			if st.Dropped+st.Forwarded != n || len(r.arrivals) != int(st.Forwarded) {
				t.Errorf("seed %d: stats %+v, %d arrived; every datagram must be dropped or forwarded", seed, st, len(r.arrivals))
			}
			if inversions(r.arrivals) != 0 {
				t.Errorf("seed %d: loss alone reordered", seed)
			}
		})
	}
}

// TestLinkReorders: a held datagram arrives after exactly the ones that
// overtook it, and the counter says how many were.
func TestLinkReorders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 2000
		r := newLinkRig(t, Impairment{Reorder: 0.05, ReorderHold: time.Second}, 7, 100, 1<<20)
		for i := range n {
			r.send(i, 16)
		}
		st := r.finish()
		inv := inversions(r.arrivals)
		if len(r.arrivals) != n {
			t.Fatalf("%d of %d arrived", len(r.arrivals), n)
		}
		// 5% of 2000 is 100 ± 10; a wide bound, the exact figure is
		// the counter's.
		if inv < 40 || inv > 160 || uint64(inv) != st.Reordered {
			t.Fatalf("%d datagrams arrived after a later one, Reordered=%d; want about 100 and equal", inv, st.Reordered)
		}
	})
}

// TestLinkReorderGap: with a gap of 3, a held datagram follows the three
// after it.
func TestLinkReorderGap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newLinkRig(t, Impairment{Reorder: 1, ReorderGap: 3}, 1, 100, 1<<20)
		r.send(0, 16)
		r.l.imp.Reorder = 0 // only the first is held
		for i := 1; i <= 4; i++ {
			r.send(i, 16)
		}
		r.finish()
		var got []int
		for _, a := range r.arrivals {
			got = append(got, a.seq)
		}
		want := []int{1, 2, 3, 0, 4}
		if len(got) != len(want) {
			t.Fatalf("order %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("order %v, want %v", got, want)
			}
		}
	})
}

// TestLinkReorderHold: a held datagram nobody overtakes leaves after
// ReorderHold, counted as delayed, not reordered.
func TestLinkReorderHold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const hold = 30 * time.Millisecond
		r := newLinkRig(t, Impairment{Reorder: 1, ReorderHold: hold}, 1, 100, 1<<20)
		r.send(0, 16)
		st := r.finish()
		if len(r.arrivals) != 1 || r.arrivals[0].at.Sub(r.arrivals[0].sent) != hold || st.Reordered != 0 {
			t.Fatalf("arrivals %+v stats %+v; want one after %v, not reordered", r.arrivals, st, hold)
		}
	})
}

// TestLinkDelayAndJitter: every datagram waits the delay plus at most the
// jitter, and order holds.
func TestLinkDelayAndJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const delay, jitter = 20 * time.Millisecond, 5 * time.Millisecond
		r := newLinkRig(t, Impairment{Delay: delay, Jitter: jitter}, 3, 1000, 1<<20)
		for i := range 500 {
			r.send(i, 100)
			if i%10 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
		st := r.finish()
		if len(r.arrivals) != 500 || st.Delayed != 500 {
			t.Fatalf("%d arrived, stats %+v; want 500 delayed", len(r.arrivals), st)
		}
		var spread bool
		for i, a := range r.arrivals {
			w := a.at.Sub(a.sent)
			if a.seq != i || w < delay || w >= delay+jitter+time.Millisecond {
				t.Fatalf("datagram %d (arrival %d) waited %v; want [%v, %v] in order", a.seq, i, w, delay, delay+jitter)
			}
			spread = spread || w > delay
		}
		if !spread {
			t.Fatal("no jitter was added")
		}
	})
}

// TestLinkBandwidth: 100 datagrams of 1000 bytes through 100 kB/s take
// one second.
func TestLinkBandwidth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newLinkRig(t, Impairment{Bandwidth: 100_000}, 1, 1000, 1<<20)
		start := time.Now()
		for i := range 100 {
			r.send(i, 1000)
		}
		r.finish()
		if last := r.arrivals[len(r.arrivals)-1].at.Sub(start); last != time.Second {
			t.Fatalf("last datagram left after %v, want 1s", last)
		}
		if first := r.arrivals[0].at.Sub(start); first != 10*time.Millisecond {
			t.Fatalf("first datagram left after %v, want 10ms", first)
		}
	})
}

// TestLinkBounds: beyond MaxQueued datagrams or MaxQueuedBytes, datagrams
// are dropped and counted.
func TestLinkBounds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newLinkRig(t, Impairment{Delay: time.Second}, 1, 10, 1<<20)
		for i := range 25 {
			r.send(i, 16)
		}
		st := r.finish()
		if st.Overflow != 15 || st.Forwarded != 10 {
			t.Fatalf("stats %+v; want 10 forwarded, 15 over the bound", st)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		r := newLinkRig(t, Impairment{Delay: time.Second}, 1, 1000, 5000)
		for i := range 10 {
			r.send(i, 1000)
		}
		st := r.finish()
		if st.Overflow != 5 || st.Forwarded != 5 {
			t.Fatalf("stats %+v; want 5 forwarded, 5 over the byte bound", st)
		}
	})
}
