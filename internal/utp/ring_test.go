package utp

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestByteRing drives a byteRing with random pushes, reads, releases and
// truncations (growing it and wrapping its offsets round the buffer) against
// a plain slice.
func TestByteRing(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var r byteRing
	var model []byte
	next := byte(0)
	for i := range 20000 {
		switch op := rng.IntN(10); {
		case op < 4:
			b := make([]byte, rng.IntN(3000))
			for j := range b {
				b[j] = next
				next++
			}
			r.push(b)
			model = append(model, b...)
		case op < 7:
			dst := make([]byte, rng.IntN(4000))
			n := r.read(dst)
			if want := min(len(dst), len(model)); n != want || !bytes.Equal(dst[:n], model[:n]) {
				t.Fatalf("op %d: read %d bytes, want %d", i, n, want)
			}
			model = model[n:]
		case op < 9 && len(model) > 0:
			// Resends read sent bytes back by offset without consuming.
			k := rng.IntN(len(model))
			n := rng.IntN(len(model) - k + 1)
			a, b := r.slices(r.start+uint64(k), n)
			if got := append(append([]byte{}, a...), b...); !bytes.Equal(got, model[k:k+n]) {
				t.Fatalf("op %d: slices at %d+%d differ", i, k, n)
			}
			if rng.IntN(2) == 0 {
				r.releaseTo(r.start + uint64(k))
				model = model[k:]
			}
		case len(model) > 0:
			k := rng.IntN(len(model) + 1)
			r.truncate(r.start + uint64(k))
			model = model[:k]
		}
		if r.len() != len(model) || r.len() > len(r.buf) {
			t.Fatalf("op %d: ring holds %d (cap %d), model %d", i, r.len(), len(r.buf), len(model))
		}
	}
	if len(r.buf) > 64<<10 {
		t.Fatalf("ring grew to %d for at most a few KiB held", len(r.buf))
	}
}

// TestOutRingGrows: packets keep their slots' identity across growth and
// wrap-around of the sequence numbers.
func TestOutRingGrows(t *testing.T) {
	var r outRing
	oldest := uint16(0xfff0)
	for s := oldest; s != oldest+300; s++ {
		p := r.insert(s, oldest)
		p.length = int(s)
		if s%3 == 0 {
			r.remove(r.at(s))
		}
	}
	for s := oldest; s != oldest+300; s++ {
		p := r.at(s)
		if (p == nil) != (s%3 == 0) || (p != nil && p.length != int(s)) {
			t.Fatalf("seq %d: %+v", s, p)
		}
	}
	if r.at(oldest+300) != nil || r.at(oldest-1) != nil || len(r.pkts) != 512 {
		t.Fatalf("unexpected packets outside the span, or ring of %d slots", len(r.pkts))
	}
}

// TestReorderBuf: payloads are copied in, found by sequence number across
// growth, refused twice, and given back in order.
func TestReorderBuf(t *testing.T) {
	var r reorderBuf
	ack := uint16(0xffe0)
	for _, s := range []uint16{ack + 5, ack + 2, ack + 300, ack + 40} {
		if !r.put(s, ack+2, []byte{byte(s), byte(s >> 8)}) {
			t.Fatalf("put %d refused", s)
		}
	}
	if r.put(ack+40, ack+2, []byte{1}) || r.count != 4 || r.bytes != 8 || r.high != ack+300 {
		t.Fatalf("count %d bytes %d high %d", r.count, r.bytes, r.high)
	}
	for _, s := range []uint16{ack + 2, ack + 5, ack + 40, ack + 300} {
		b := r.take(s)
		if b == nil || !bytes.Equal(*b, []byte{byte(s), byte(s >> 8)}) {
			t.Fatalf("take %d: %v", s, b)
		}
		putBuf(b)
	}
	if r.count != 0 || r.bytes != 0 || r.take(ack+2) != nil {
		t.Fatal("not empty after taking everything")
	}
}
