package piecepicker

import "math/bits"

// bitset is the picker's private set of piece indices for a peer. It uses
// 64-bit words (rather than bitfield.Bitfield's wire bytes) so that
// iterating a peer's pieces is a word scan.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int) bool {
	w := i >> 6
	return i >= 0 && w < len(b) && b[w]&(1<<uint(i&63)) != 0
}

func (b bitset) set(i int) { b[i>>6] |= 1 << uint(i&63) }

func (b bitset) clear() {
	for i := range b {
		b[i] = 0
	}
}

// each calls fn for every set bit in ascending order.
func (b bitset) each(fn func(i int)) {
	for w, x := range b {
		for x != 0 {
			t := bits.TrailingZeros64(x)
			fn(w<<6 + t)
			x &= x - 1
		}
	}
}
