package storage

import (
	"container/list"
	"sync"
)

// FileBudget bounds the open files of several Storages together: a
// session's file_pool_size, which libtorrent means for all torrents, not
// each. Every Storage keeps its own pool (one handle per file, closed only
// when idle); the budget keeps one LRU over all of them and, when a new
// handle goes over the bound, names the least recently used ones to close.
// They are closed after the opener released its own pool's lock: the lock
// order is always a pool's mutex, then the budget's, never the reverse.
type FileBudget struct {
	mu  sync.Mutex
	max int
	lru list.List // of budgetKey; front = most recently used
	at  map[budgetKey]*list.Element
}

type budgetKey struct {
	s   *Storage
	idx int
}

// NewFileBudget bounds open files to max (<= 0: DefaultMaxOpenFiles).
func NewFileBudget(max int) *FileBudget {
	b := &FileBudget{at: map[budgetKey]*list.Element{}}
	b.SetMax(max)
	return b
}

// SetMax changes the bound (settings applied at runtime); a smaller one
// takes effect as files are next opened.
func (b *FileBudget) SetMax(max int) {
	if max <= 0 {
		max = DefaultMaxOpenFiles
	}
	b.mu.Lock()
	b.max = max
	b.mu.Unlock()
}

// Open counts the number of handles open under the budget.
func (b *FileBudget) Open() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lru.Len()
}

// opened records a handle of file idx of s (or its use: it moves to the
// front) and returns the handles to close to get back under the bound.
func (b *FileBudget) opened(s *Storage, idx int) []budgetKey {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	k := budgetKey{s, idx}
	if e, ok := b.at[k]; ok {
		b.lru.MoveToFront(e)
		return nil
	}
	b.at[k] = b.lru.PushFront(k)
	var victims []budgetKey
	for e := b.lru.Back(); b.lru.Len()-len(victims) > b.max && e != nil && e != b.lru.Front(); e = e.Prev() {
		victims = append(victims, e.Value.(budgetKey))
	}
	return victims
}

// closed forgets a handle that left its pool.
func (b *FileBudget) closed(s *Storage, idx int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	k := budgetKey{s, idx}
	if e, ok := b.at[k]; ok {
		b.lru.Remove(e)
		delete(b.at, k)
	}
}

// closeVictims closes the named handles that are idle; those in use stay
// (the bound is soft while more files than it are in use at once).
func closeVictims(victims []budgetKey) {
	for _, v := range victims {
		v.s.closeIdle(v.idx)
	}
}

// closeIdle closes s's handle of file idx if nothing uses it.
func (s *Storage) closeIdle(idx int) {
	p := &s.pool
	p.mu.Lock()
	defer p.mu.Unlock()
	if h := p.slots[idx]; h != nil && h.refs == 0 {
		_ = p.detach(h)
	}
}
