package bitfield

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzFromBytes feeds peer-supplied bitfield bytes at every bit length
// compatible with their size and checks the invariants that callers rely
// on: errors are the sentinels, accepted input round-trips, and Count,
// Has and Indices agree.
func FuzzFromBytes(f *testing.F) {
	f.Add([]byte{0x81, 0x40})
	f.Add([]byte{0xff})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for n := max(len(data)*8-7, 0); n <= len(data)*8; n++ {
			bf, err := FromBytes(data, n)
			if err != nil {
				if !errors.Is(err, ErrSpareBits) && !errors.Is(err, ErrLength) {
					t.Fatalf("n=%d: unexpected error %v", n, err)
				}
				continue
			}
			if !bytes.Equal(bf.Bytes(), data) {
				t.Fatalf("n=%d: Bytes %x != input %x", n, bf.Bytes(), data)
			}
			idx := bf.Indices()
			if len(idx) != bf.Count() {
				t.Fatalf("n=%d: %d indices, Count %d", n, len(idx), bf.Count())
			}
			c := bf.Clone()
			for _, i := range idx {
				if !bf.Has(i) || i >= n {
					t.Fatalf("n=%d: bad index %d", n, i)
				}
				c.Clear(i)
			}
			if !c.None() || bf.Count() != len(idx) {
				t.Fatalf("n=%d: clearing all indices left %d set (or mutated original)", n, c.Count())
			}
		}
	})
}
