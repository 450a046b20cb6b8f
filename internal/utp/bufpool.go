package utp

import (
	"math/bits"
	"sync"
)

// Buffers for datagrams and for payloads held out of order come from pools
// shared by every Conn, in power-of-two size classes: a busy connection
// allocates nothing per packet, an idle one holds no buffer, and a buffer
// is never more than twice what it holds (so memory stays bounded by the
// bytes a Conn accounts for).
const (
	minBufClass = 6  // 64 bytes
	maxBufClass = 16 // 64 KiB: the largest UDP payload there is
)

var bufPools [maxBufClass - minBufClass + 1]sync.Pool

// bufClass is the pool index for a buffer of n bytes (n <= 64 KiB).
func bufClass(n int) int {
	if n <= 1<<minBufClass {
		return 0
	}
	return bits.Len(uint(n-1)) - minBufClass
}

// getBuf returns a buffer of length 0 and capacity at least n. The pool
// keeps pointers so that putting one back allocates nothing.
func getBuf(n int) *[]byte {
	if n > 1<<maxBufClass {
		b := make([]byte, 0, n)
		return &b
	}
	c := bufClass(n)
	if v := bufPools[c].Get(); v != nil {
		b := v.(*[]byte)
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 1<<(c+minBufClass))
	return &b
}

// putBuf gives a buffer from getBuf back; the caller must not use it again.
func putBuf(b *[]byte) {
	c := cap(*b)
	if c > 1<<maxBufClass || c < 1<<minBufClass || c&(c-1) != 0 {
		return // not one of ours: let the GC have it
	}
	bufPools[bufClass(c)].Put(b)
}
