// Package bitfield implements a fixed-length bit set in BitTorrent wire
// order: bit 0 is the most significant bit of byte 0 (BEP 3 "bitfield").
package bitfield

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// Errors returned by FromBytes. They are sentinels so callers can use
// errors.Is and, for example, drop a peer that sent a malformed bitfield.
var (
	// ErrLength means the byte slice does not have exactly (n+7)/8 bytes.
	ErrLength = errors.New("bitfield: wrong length")
	// ErrSpareBits means a bit beyond n (in the padding of the last byte) is
	// set; BEP 3 requires spare bits to be zero.
	ErrSpareBits = errors.New("bitfield: spare bits set")
)

// Bitfield is a fixed-length bit set, bit 0 = high bit of byte 0
// (BitTorrent order). The zero value is an empty bitfield of length 0.
//
// Copying a Bitfield value shares the underlying bytes (like a slice);
// use Clone for an independent copy. Mutating methods have pointer
// receivers so the maintained count stays consistent with the bytes.
type Bitfield struct {
	bytes []byte
	n     int
	count int
}

// New returns a bitfield of n bits, all clear. A negative n is treated as 0.
func New(n int) Bitfield {
	if n < 0 {
		n = 0
	}
	return Bitfield{bytes: make([]byte, byteLen(n)), n: n}
}

// FromBytes returns a bitfield of n bits holding a copy of b. It fails with
// ErrLength if len(b) != (n+7)/8 and ErrSpareBits if any bit at index >= n
// is set.
func FromBytes(b []byte, n int) (Bitfield, error) {
	if n < 0 || len(b) != byteLen(n) {
		return Bitfield{}, fmt.Errorf("bitfield: got %d bytes for %d bits: %w", len(b), n, ErrLength)
	}
	if rem := n % 8; rem != 0 {
		// Low (8-rem) bits of the last byte are padding.
		if b[len(b)-1]&(0xff>>rem) != 0 {
			return Bitfield{}, fmt.Errorf("bitfield: %d bits: %w", n, ErrSpareBits)
		}
	}
	bf := Bitfield{bytes: make([]byte, len(b)), n: n}
	copy(bf.bytes, b)
	bf.count = onesCount(bf.bytes)
	return bf, nil
}

// Assign replaces b's bits with the wire bytes p (a BITFIELD message's
// payload for b.Len() bits), in place: no allocation, for a peer that
// sends its bitfield again (aria2 does every few MiB; a hostile peer as
// fast as it can). On error b is unchanged.
func (b *Bitfield) Assign(p []byte) error {
	if len(p) != len(b.bytes) {
		return fmt.Errorf("bitfield: got %d bytes for %d bits: %w", len(p), b.n, ErrLength)
	}
	if rem := b.n % 8; rem != 0 && p[len(p)-1]&(0xff>>rem) != 0 {
		return fmt.Errorf("bitfield: %d bits: %w", b.n, ErrSpareBits)
	}
	copy(b.bytes, p)
	b.count = onesCount(b.bytes)
	return nil
}

// onesCount counts the set bits of p, eight bytes at a time.
func onesCount(p []byte) int {
	n := 0
	for len(p) >= 8 {
		n += bits.OnesCount64(binary.LittleEndian.Uint64(p))
		p = p[8:]
	}
	for _, x := range p {
		n += bits.OnesCount8(x)
	}
	return n
}

func byteLen(n int) int { return (n + 7) / 8 }

// Set sets bit i. It is a no-op if i is out of range.
func (b *Bitfield) Set(i int) {
	if i < 0 || i >= b.n {
		return
	}
	m := mask(i)
	if b.bytes[i>>3]&m == 0 {
		b.bytes[i>>3] |= m
		b.count++
	}
}

// Clear clears bit i. It is a no-op if i is out of range.
func (b *Bitfield) Clear(i int) {
	if i < 0 || i >= b.n {
		return
	}
	m := mask(i)
	if b.bytes[i>>3]&m != 0 {
		b.bytes[i>>3] &^= m
		b.count--
	}
}

// Has reports whether bit i is set; it is false for i out of range.
func (b Bitfield) Has(i int) bool {
	if i < 0 || i >= b.n {
		return false
	}
	return b.bytes[i>>3]&mask(i) != 0
}

func mask(i int) byte { return 0x80 >> uint(i&7) }

// Len returns the number of bits.
func (b Bitfield) Len() int { return b.n }

// Count returns the number of set bits in O(1).
func (b Bitfield) Count() int { return b.count }

// All reports whether every bit is set (true for a length-0 bitfield).
func (b Bitfield) All() bool { return b.count == b.n }

// None reports whether no bit is set.
func (b Bitfield) None() bool { return b.count == 0 }

// Bytes returns a copy of the wire representation, (Len()+7)/8 bytes with
// spare bits zero.
func (b Bitfield) Bytes() []byte {
	out := make([]byte, byteLen(b.n))
	copy(out, b.bytes)
	return out
}

// Clone returns a deep copy that shares no memory with b.
func (b Bitfield) Clone() Bitfield {
	c := b
	c.bytes = b.Bytes()
	return c
}

// SetAll sets every bit, keeping spare bits in the last byte zero.
func (b *Bitfield) SetAll() {
	for i := range b.bytes {
		b.bytes[i] = 0xff
	}
	if rem := b.n % 8; rem != 0 {
		b.bytes[len(b.bytes)-1] = 0xff << uint(8-rem)
	}
	b.count = b.n
}

// Indices returns the indices of the set bits in ascending order.
func (b Bitfield) Indices() []int {
	out := make([]int, 0, b.count)
	for bi, x := range b.bytes {
		for x != 0 {
			lz := bits.LeadingZeros8(x)
			out = append(out, bi*8+lz)
			x &^= 0x80 >> uint(lz)
		}
	}
	return out
}
