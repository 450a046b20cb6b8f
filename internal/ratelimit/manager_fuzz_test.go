package ratelimit

import (
	"slices"
	"testing"
	"time"
)

// FuzzManager runs a byte string as a sequence of operations on a manager
// with three limited channels (requests through any subset, at any
// priority; ticks; cancels; overhead charges; limit changes; time passing)
// and checks what
// must always hold: no channel hands out more than accrued since it
// started, every channel knows how many requests wait on it, queued
// requests are partly filled at most, and ticking at Next grants every
// request without losing quota: by the time the channels could have moved
// all that was asked through them one after the other.
func FuzzManager(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{0x10, 0x21, 0x33, 0x47, 0x52, 0x60, 0x7f, 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8})
	f.Add([]byte{0x07, 0x07, 0x07, 0x40, 0x40, 0x40, 0x01, 0x01, 0x02, 0x02, 0x03})
	f.Fuzz(runManagerOps)
}

func runManagerOps(t *testing.T, ops []byte) {
	{
		limits := []int64{10_000, 250_000, 3_000_000}
		chans := make([]*Channel, len(limits))
		for i, l := range limits {
			chans[i] = NewChannel(l)
			chans[i].refill(t0) // all start empty at t0
		}
		m := NewManager()
		now := t0
		// what each channel has accrued at its limits so far
		acc := make([]accrual, len(chans))
		for i, l := range limits {
			acc[i] = accrual{limit: l, since: t0}
		}
		handed := make([]int64, len(chans)) // granted at once or by Tick, per channel
		reqChans := map[RequestID][]*Channel{}
		var id RequestID
		tick := func() {
			grants, _ := m.Tick(now, nil)
			for _, g := range grants {
				for _, c := range reqChans[g.ID] {
					handed[indexOf(chans, c)] += g.Bytes
				}
				delete(reqChans, g.ID)
			}
		}
		for i := 0; i+1 < len(ops); i += 2 {
			op, arg := ops[i], int64(ops[i+1])
			switch op % 5 {
			case 0, 1: // request through the channels in op's bits
				var use []*Channel
				for j := range chans {
					if op>>(3+j)&1 != 0 {
						use = append(use, chans[j])
					}
				}
				size := 1 + arg*64
				id++
				if m.Request(id, size, int(op>>6)+1, use, now) {
					for _, c := range use {
						handed[indexOf(chans, c)] += size
					}
				} else {
					reqChans[id] = use
				}
			case 2:
				tick()
			case 3:
				if op&0x80 != 0 { // change a limit (staying limited)
					i := arg % 3
					l := []int64{5000, 10_000, 250_000, 3_000_000}[op>>5&3]
					acc[i].set(l, now)
					chans[i].SetLimit(l, now)
				} else { // cancel a request
					victim := RequestID(arg) % (id + 1)
					if m.Cancel(victim) {
						delete(reqChans, victim)
					}
				}
			case 4:
				if op&0x80 != 0 {
					chans[arg%3].Use(arg * 10)
				} else {
					now = now.Add(time.Duration(arg) * time.Millisecond)
				}
			}
			check(t, m, chans, handed, acc, now)
		}
		// Liveness: ticking when Next says grants everything in time.
		var bound time.Duration
		for _, c := range chans {
			owed := max(-c.quota, 0)
			for _, r := range m.queue {
				if slices.Contains(r.chans, c) {
					owed += r.size - r.assigned
				}
			}
			bound += time.Duration(owed) * time.Second / time.Duration(c.Limit())
		}
		deadline := now.Add(bound + time.Second)
		for steps := 0; m.Queued() > 0; steps++ {
			next := m.Next(now)
			if next.IsZero() || next.Before(now) {
				t.Fatalf("Next = %v with %d queued", next, m.Queued())
			}
			if next.After(deadline) || steps > 1_000_000 {
				t.Fatalf("%d requests still queued after %d ticks and %v, want all granted within %v",
					m.Queued(), steps, now.Sub(deadline.Add(-bound-time.Second)), bound+time.Second)
			}
			if next.Equal(now) {
				next = now.Add(time.Millisecond) // the gate's floor
			}

			now = next
			tick()
			check(t, m, chans, handed, acc, now)
		}
	}
}

func indexOf(chans []*Channel, c *Channel) int {
	for i, x := range chans {
		if x == c {
			return i
		}
	}
	panic("unknown channel")
}

// accrual integrates a channel's limit over time.
type accrual struct {
	limit int64
	since time.Time
	bytes float64 // accrued before since
	steps int     // limit changes, each may round a byte away
}

func (a *accrual) at(now time.Time) float64 {
	return a.bytes + float64(a.limit)*now.Sub(a.since).Seconds()
}

func (a *accrual) set(limit int64, now time.Time) {
	a.bytes, a.limit, a.since = a.at(now), limit, now
	a.steps++
}

func check(t *testing.T, m *Manager, chans []*Channel, handed []int64, acc []accrual, now time.Time) {
	t.Helper()
	waiting := make([]int, len(chans))
	assigned := make([]int64, len(chans))
	for _, r := range m.queue {
		if r.assigned < 0 || r.assigned >= r.size {
			t.Fatalf("queued request %d has %d of %d bytes", r.id, r.assigned, r.size)
		}
		for _, c := range r.chans {
			waiting[indexOf(chans, c)]++
			assigned[indexOf(chans, c)] += r.assigned
		}
	}
	for i, c := range chans {
		if c.waiters != waiting[i] {
			t.Fatalf("channel %d counts %d waiters, %d requests wait on it", i, c.waiters, waiting[i])
		}
		if accrued := int64(acc[i].at(now)) + 1 + int64(acc[i].steps); handed[i]+assigned[i] > accrued {
			t.Fatalf("channel %d (%d B/s) handed out %d+%d bytes in %v, more than the %d accrued",
				i, c.Limit(), handed[i], assigned[i], now.Sub(t0), accrued)
		}
	}
}
