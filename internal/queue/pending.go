package queue

import "container/heap"

// pendingAt is an entry's pending change since at. Items are never
// updated in place: a change cleared or replaced leaves its item stale
// (at no longer the entry's pending), and stale items are dropped when
// they reach the top.
type pendingAt[ID comparable] struct {
	at stamp
	e  *entry[ID]
}

// pendingHeap is a min-heap of pending changes by time (container/heap).
type pendingHeap[ID comparable] []pendingAt[ID]

func (h pendingHeap[ID]) Len() int           { return len(h) }
func (h pendingHeap[ID]) Less(i, j int) bool { return h[i].at < h[j].at }
func (h pendingHeap[ID]) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *pendingHeap[ID]) Push(x any)        { *h = append(*h, x.(pendingAt[ID])) }
func (h *pendingHeap[ID]) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = pendingAt[ID]{}
	*h = old[:len(old)-1]
	return x
}

// first drops stale items and returns the entry whose pending change is
// the earliest, nil when none is pending.
func (h *pendingHeap[ID]) first() *entry[ID] {
	for h.Len() > 0 {
		top := (*h)[0]
		if top.e.pending == top.at {
			return top.e
		}
		heap.Pop(h)
	}
	return nil
}
