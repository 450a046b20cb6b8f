package utp

import (
	"container/heap"
	"time"
)

// timerHeap orders connections by their next Conn.Deadline, so one timer
// serves the whole socket and only due connections are ticked.
type timerHeap []*entry

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].deadline.Before(h[j].deadline) }
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].hidx = i
	h[j].hidx = j
}
func (h *timerHeap) Push(x any) {
	e := x.(*entry)
	e.hidx = len(*h)
	*h = append(*h, e)
}
func (h *timerHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.hidx = -1
	return e
}

// schedule puts e in the heap at deadline d (zero: out of it) and rearms
// the socket's timer when the earliest deadline moved.
func (o *ownerState) schedule(e *entry, d time.Time) {
	switch {
	case d.IsZero():
		o.unschedule(e)
		return
	case e.hidx < 0:
		e.deadline = d
		heap.Push(&o.timers, e)
	case !d.Equal(e.deadline):
		e.deadline = d
		heap.Fix(&o.timers, e.hidx)
	default:
		return
	}
	o.armTimer()
}

func (o *ownerState) unschedule(e *entry) {
	if e.hidx >= 0 {
		heap.Remove(&o.timers, e.hidx)
	}
}

// armTimer sets the timer to the earliest deadline, unless it is already
// set there (or earlier: an early wake-up finds nothing due and rearms).
func (o *ownerState) armTimer() {
	if len(o.timers) == 0 {
		return
	}
	at := o.timers[0].deadline
	if !o.timerAt.IsZero() && !at.Before(o.timerAt) {
		return
	}
	o.timerAt = at
	o.timer.Reset(time.Until(at))
}
