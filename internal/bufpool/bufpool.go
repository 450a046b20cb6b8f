// Package bufpool recycles the 16 KiB block buffers that carry piece data
// from a socket to the disk and from the disk to a socket, so the hot path
// allocates nothing per block (DESIGN §4).
package bufpool

import (
	"sync"
	"sync/atomic"
)

// BlockSize is the size of a pooled buffer: one request-sized block.
const BlockSize = 16 * 1024

var blocks = sync.Pool{New: func() any { b := make([]byte, BlockSize); return &b }}

// inUse counts pooled buffers handed out and not yet put back: the disk
// cache reports it as total_used_buffers.
var inUse atomic.Int64

// Get returns a buffer of length n. Buffers of up to BlockSize come from the
// pool; larger ones are allocated (and not pooled).
func Get(n int) []byte {
	if n > BlockSize || n < 0 {
		return make([]byte, n)
	}
	p := blocks.Get().(*[]byte)
	inUse.Add(1)
	return (*p)[:n]
}

// Put returns a buffer obtained from Get. Buffers of another capacity are
// left to the garbage collector, so a stray Put is always safe.
func Put(b []byte) {
	if cap(b) != BlockSize {
		return
	}
	inUse.Add(-1)
	b = b[:BlockSize]
	blocks.Put(&b)
}

// InUse is the number of pooled buffers handed out by Get and not yet Put,
// in the whole process (every session shares the pool). Buffers dropped
// without a Put stay counted; a foreign buffer of BlockSize capacity that is
// Put lowers it, so it is never reported below zero.
func InUse() int64 {
	return max(0, inUse.Load())
}
