// Package bufpool recycles the 16 KiB block buffers that carry piece data
// from a socket to the disk and from the disk to a socket, so the hot path
// allocates nothing per block (DESIGN §4).
package bufpool

import "sync"

// BlockSize is the size of a pooled buffer: one request-sized block.
const BlockSize = 16 * 1024

var blocks = sync.Pool{New: func() any { b := make([]byte, BlockSize); return &b }}

// Get returns a buffer of length n. Buffers of up to BlockSize come from the
// pool; larger ones are allocated (and not pooled).
func Get(n int) []byte {
	if n > BlockSize || n < 0 {
		return make([]byte, n)
	}
	p := blocks.Get().(*[]byte)
	return (*p)[:n]
}

// Put returns a buffer obtained from Get. Buffers of another capacity are
// left to the garbage collector, so a stray Put is always safe.
func Put(b []byte) {
	if cap(b) != BlockSize {
		return
	}
	b = b[:BlockSize]
	blocks.Put(&b)
}
