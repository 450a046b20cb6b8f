package hashing

import (
	"crypto/sha1"
	"math/rand/v2"
	"testing"
)

// pairs runs f with the two-way Pair (when this CPU has one) and with the
// generic one.
func pairs(t *testing.T, f func(t *testing.T)) {
	for _, generic := range []bool{false, true} {
		name := "two-way"
		if generic {
			name = "generic"
		} else if !Accelerated() {
			t.Log("no SHA-NI on this machine: only the generic Pair runs")
			continue
		}
		t.Run(name, func(t *testing.T) {
			forceGeneric = generic
			defer func() { forceGeneric = false }()
			f(t)
		})
	}
}

// Every length of whole blocks up to 40, and piece-sized ones, written in
// random slices, match crypto/sha1 for both messages.
func TestPairMatchesSHA1(t *testing.T) {
	pairs(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		lengths := []int{0, 1 << 14, 1 << 20}
		for n := 1; n <= 40; n++ {
			lengths = append(lengths, n)
		}
		p := NewPair()
		for _, blocks := range lengths {
			size := blocks * BlockSize
			if blocks >= 1<<14 {
				size = blocks
			}
			a, b := make([]byte, size), make([]byte, size)
			for i := range a {
				a[i], b[i] = byte(rng.Uint32()), byte(rng.Uint32())
			}
			p.Reset()
			for off := 0; off < size; {
				step := min(size-off, BlockSize*(1+rng.IntN(8)))
				p.Write(a[off:off+step], b[off:off+step])
				off += step
			}
			sa, sb := p.Sums()
			if sa != sha1.Sum(a) || sb != sha1.Sum(b) {
				t.Fatalf("%d bytes: got %x %x, want %x %x", size, sa, sb, sha1.Sum(a), sha1.Sum(b))
			}
		}
	})
}

// The same message twice gives the same sum twice (the two lanes do not
// leak into each other), and the known vector of an empty message.
func TestPairLanesAreIndependent(t *testing.T) {
	pairs(t, func(t *testing.T) {
		p := NewPair()
		sa, sb := p.Sums()
		if sa != sha1.Sum(nil) || sb != sa {
			t.Fatalf("empty: %x %x", sa, sb)
		}
		x := make([]byte, 4*BlockSize)
		for i := range x {
			x[i] = byte(i * 7)
		}
		p.Reset()
		p.Write(x, x)
		sa, sb = p.Sums()
		if sa != sb || sa != sha1.Sum(x) {
			t.Fatalf("same message: %x %x, want %x", sa, sb, sha1.Sum(x))
		}
	})
}

func TestPairWriteRejectsUnevenInput(t *testing.T) {
	for _, c := range [][2]int{{64, 128}, {63, 63}, {100, 100}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Write(%d, %d bytes) did not panic", c[0], c[1])
				}
			}()
			NewPair().Write(make([]byte, c[0]), make([]byte, c[1]))
		}()
	}
}

// FuzzPair compares both messages' sums with crypto/sha1; the input is cut
// into two messages of the same whole-block length.
func FuzzPair(f *testing.F) {
	f.Add([]byte("abc"), uint8(0))
	f.Add(make([]byte, 256), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		n := len(data) / 2 / BlockSize * BlockSize
		a, b := data[:n], data[n:2*n]
		p := NewPair()
		step := BlockSize * (1 + int(split)%4)
		for off := 0; off < n; off += step {
			end := min(n, off+step)
			p.Write(a[off:end], b[off:end])
		}
		sa, sb := p.Sums()
		if sa != sha1.Sum(a) || sb != sha1.Sum(b) {
			t.Fatalf("%d bytes: got %x %x, want %x %x", n, sa, sb, sha1.Sum(a), sha1.Sum(b))
		}
	})
}

func BenchmarkPair(b *testing.B) {
	x, y := make([]byte, 1<<20), make([]byte, 1<<20)
	p := NewPair()
	b.SetBytes(2 << 20)
	for b.Loop() {
		p.Reset()
		p.Write(x, y)
		p.Sums()
	}
}

func BenchmarkSHA1TwoPieces(b *testing.B) {
	x, y := make([]byte, 1<<20), make([]byte, 1<<20)
	b.SetBytes(2 << 20)
	for b.Loop() {
		sha1.Sum(x)
		sha1.Sum(y)
	}
}
