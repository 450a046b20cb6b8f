package utp

import (
	"sync"
	"time"
)

// byteBuf is a FIFO of bytes in one slice: reads advance off, and the
// unread part moves to the front only when appending would otherwise grow
// the slice, so steady traffic moves each byte at most once more.
type byteBuf struct {
	b   []byte
	off int
}

func (q *byteBuf) len() int      { return len(q.b) - q.off }
func (q *byteBuf) bytes() []byte { return q.b[q.off:] }

func (q *byteBuf) consume(n int) {
	q.off += n
	if q.off == len(q.b) {
		q.b, q.off = q.b[:0], 0
	}
}

func (q *byteBuf) read(dst []byte) int {
	n := copy(dst, q.bytes())
	q.consume(n)
	return n
}

// makeRoom makes cap(q.b)-len(q.b) at least n.
func (q *byteBuf) makeRoom(n int) {
	if cap(q.b)-len(q.b) >= n {
		return
	}
	if q.off > 0 && cap(q.b)-q.len() >= n {
		m := copy(q.b, q.b[q.off:])
		q.b, q.off = q.b[:m], 0
		return
	}
	nb := make([]byte, q.len(), max(2*cap(q.b), q.len()+n, 4096))
	copy(nb, q.b[q.off:])
	q.b, q.off = nb, 0
}

func (q *byteBuf) append(p []byte) {
	q.makeRoom(len(p))
	q.b = append(q.b, p...)
}

// tail is room for n more bytes to be written in place, then commit.
func (q *byteBuf) tail(n int) []byte {
	q.makeRoom(n)
	return q.b[len(q.b) : len(q.b)+n]
}

func (q *byteBuf) commit(n int) { q.b = q.b[:len(q.b)+n] }

func (q *byteBuf) release() { q.b, q.off = nil, 0 }

// deadline is a net.Conn deadline: wait returns a channel closed once it
// has passed.
type deadline struct {
	mu    sync.Mutex
	timer *time.Timer
	c     chan struct{}
	gen   uint64 // which set the running timer belongs to
}

func newDeadline() deadline { return deadline{c: make(chan struct{})} }

func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	fired := isClosed(d.c)
	if fired {
		d.c = make(chan struct{})
	}
	if t.IsZero() {
		return
	}
	wait := time.Until(t)
	if wait <= 0 {
		close(d.c)
		return
	}
	gen, c := d.gen, d.c
	d.timer = time.AfterFunc(wait, func() {
		d.mu.Lock()
		// A timer stopped too late must not close a newer deadline.
		if d.gen == gen && !isClosed(c) {
			close(c)
		}
		d.mu.Unlock()
	})
}

func (d *deadline) wait() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.c
}

func (d *deadline) passed() bool { return isClosed(d.wait()) }

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
