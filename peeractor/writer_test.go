package peeractor

import "testing"

func TestUnsentPayload(t *testing.T) {
	hdr := func() []byte { return make([]byte, 13) }
	b1, b2 := make([]byte, 100), make([]byte, 50)
	ctrl := make([]byte, 5)
	sealed := [][]byte{hdr(), b1, hdr(), b2, ctrl}
	blocks := [][]byte{b1, b2}
	cases := []struct {
		written        int64
		payload, count int64
	}{
		{0, 150, 2},
		{13, 150, 2},
		{13 + 40, 110, 1},           // b1 partly sent
		{13 + 100, 50, 1},           // b1 whole, b2 not
		{13 + 100 + 13 + 10, 40, 0}, // b2 partly sent
		{13 + 100 + 13 + 50, 0, 0},  // only the control message missing
		{13 + 100 + 13 + 50 + 5, 0, 0},
	}
	for _, c := range cases {
		p, n := unsentPayload(sealed, blocks, c.written)
		if p != c.payload || n != c.count {
			t.Errorf("written %d: unsent %d bytes in %d whole blocks, want %d in %d", c.written, p, n, c.payload, c.count)
		}
	}
}
