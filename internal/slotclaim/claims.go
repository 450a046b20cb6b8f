// Package slotclaim guards memory one party lends to many writers for a
// bounded time: the caller of a bulk status hands each torrent a slot of
// its own array, and when the call ends — every torrent answered, or the
// deadline passed — no writer may touch the array again, for the caller
// reads it (and reuses it on its next call). A writer claims its slot
// before writing; the lender, when done waiting, takes back every slot not
// claimed and waits out those being written (a write is a struct copy of
// a few hundred nanoseconds, never I/O).
package slotclaim

import (
	"context"
	"runtime"
	"sync/atomic"
)

// The states of a slot. A slot leaves free once: to writing (then done,
// or abandoned when the write panicked) or straight to abandoned (the
// lender took it back).
const (
	free uint32 = iota
	writing
	done
	abandoned
)

// Claims are the states of n slots.
type Claims struct {
	s []atomic.Uint32
}

// New returns n free slots.
func New(n int) *Claims {
	return &Claims{s: make([]atomic.Uint32, n)}
}

// Len is the number of slots.
func (c *Claims) Len() int { return len(c.s) }

// Write runs fill if slot i is still free, and reports whether it did and
// fill returned: the slot is then done. After Settle no fill runs. A fill
// that panics leaves the slot abandoned (its memory half written, never
// read) and the panic goes on.
func (c *Claims) Write(i int, fill func()) (written bool) {
	if i < 0 || i >= len(c.s) || !c.s[i].CompareAndSwap(free, writing) {
		return false
	}
	defer func() {
		if written {
			c.s[i].Store(done)
		} else {
			c.s[i].Store(abandoned)
		}
	}()
	fill()
	return true
}

// Settle ends the lending: every slot not claimed yet is abandoned, and
// Settle returns once no write is under way, so that the memory is the
// caller's alone. It fails only when ctx ends first (a writer descheduled
// mid-write for that long); the memory must then not be reused.
func (c *Claims) Settle(ctx context.Context) error {
	for i := range c.s {
		if c.s[i].CompareAndSwap(free, abandoned) {
			continue
		}
		for c.s[i].Load() == writing {
			if err := ctx.Err(); err != nil {
				return err
			}
			runtime.Gosched()
		}
	}
	return nil
}

// Done reports whether slot i was written whole (read it after Settle).
func (c *Claims) Done(i int) bool {
	return i >= 0 && i < len(c.s) && c.s[i].Load() == done
}
