package storage

import (
	"container/list"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// handle is an open file shared by concurrent readers and writers
// (os.File ReadAt/WriteAt are safe for concurrent use). refs counts the
// operations using it: a handle is only closed when refs is zero, so
// eviction never pulls a file from under a running pread/pwrite.
type handle struct {
	f        *os.File
	idx      int
	writable bool
	refs     int
	retired  bool          // no longer in the pool; close when refs drops to 0
	elem     *list.Element // position in the LRU while in the pool
}

// pool is the bounded set of open handles of one Storage, at most one per
// file. Opening happens under the mutex, which also keeps two goroutines
// from opening (or creating) the same file at once.
type pool struct {
	owner  *Storage
	budget *FileBudget // shared with other Storages; nil: none
	mu     sync.Mutex
	closed bool
	slots  []*handle // slots[i] = open handle of file i, or nil
	lru    list.List // of *handle; front = most recently used
	max    int
}

func (p *pool) init(numFiles, max int) {
	p.slots = make([]*handle, numFiles)
	p.max = max
}

func (p *pool) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// acquire returns a handle of file i, writable if write, opening (and for
// writes creating) the file if needed. The caller must release it.
func (s *Storage) acquire(i int, write bool) (*handle, error) {
	var victims []budgetKey
	defer func() { closeVictims(victims) }() // after mu is released
	p := &s.pool
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, ErrClosed
	}
	if h := p.slots[i]; h != nil && (h.writable || !write) {
		h.refs++
		p.lru.MoveToFront(h.elem)
		victims = p.budget.opened(s, i)
		return h, nil
	}
	f, err := s.open(i, write)
	if err != nil {
		return nil, err
	}
	if old := p.slots[i]; old != nil {
		// Upgrade from read-only: the old handle retires once idle.
		_ = p.detach(old)
	}
	h := &handle{f: f, idx: i, writable: write, refs: 1}
	h.elem = p.lru.PushFront(h)
	p.slots[i] = h
	p.evict()
	victims = p.budget.opened(s, i)
	return h, nil
}

// release ends one use of h.
func (p *pool) release(h *handle) {
	p.mu.Lock()
	defer p.mu.Unlock()
	h.refs--
	if h.refs == 0 && h.retired {
		_ = h.f.Close()
	}
}

// detach takes h out of the pool; it is closed now if idle, else by its
// last release. Called with mu held.
func (p *pool) detach(h *handle) error {
	p.lru.Remove(h.elem)
	p.slots[h.idx] = nil
	p.budget.closed(p.owner, h.idx)
	if h.refs > 0 {
		h.retired = true
		return nil
	}
	return h.f.Close()
}

// evict closes least recently used idle handles while the pool is over
// its bound. Handles in use are skipped, so the bound is soft when more
// than max files are being accessed at the same moment.
func (p *pool) evict() {
	e := p.lru.Back()
	for p.lru.Len() > p.max && e != nil {
		prev := e.Prev()
		if h := e.Value.(*handle); h.refs == 0 {
			// A close error here cannot be attributed to a caller; data
			// durability is Flush's job.
			_ = p.detach(h)
		}
		e = prev
	}
}

// detachAll takes every handle out of the pool and returns the errors of
// closing the idle ones. Called with mu held.
func (s *Storage) detachAll() error {
	var errs []error
	for e := s.pool.lru.Front(); e != nil; {
		next := e.Next()
		h := e.Value.(*handle)
		if err := s.pool.detach(h); err != nil {
			errs = append(errs, s.fileErr(h.idx, "close", err))
		}
		e = next
	}
	return errors.Join(errs...)
}

// open opens file i read-only, or read-write creating it (and its
// directories) if missing. A newly created file is truncated to its full
// length when the storage is sparse.
func (s *Storage) open(i int, write bool) (*os.File, error) {
	path := s.files[i].abs
	if !write {
		f, err := os.Open(path)
		if err != nil {
			return nil, s.fileErr(i, "open", err)
		}
		return f, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, s.fileErr(i, "open", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, s.fileErr(i, "create", err)
	}
	f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, s.files[i].perm())
	if errors.Is(err, fs.ErrExist) {
		// Created by someone else since our first attempt: just use it.
		f, err = os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return nil, s.fileErr(i, "open", err)
		}
		return f, nil
	}
	if err != nil {
		return nil, s.fileErr(i, "create", err)
	}
	if s.opts.Allocate {
		if err := allocate(f, s.files[i].Length); err != nil {
			_ = f.Close()
			_ = os.Remove(path) // an unallocated file would be taken as partly written
			return nil, s.fileErr(i, "allocate", err)
		}
	} else if s.opts.Sparse {
		if err := f.Truncate(s.files[i].Length); err != nil {
			_ = f.Close()
			return nil, s.fileErr(i, "truncate", err)
		}
	}
	return f, nil
}
