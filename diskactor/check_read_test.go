package diskactor

import (
	"crypto/sha1"
	"testing"
)

// pieceHasher: pieces come out right however the stream is cut into
// writes, a hole fails exactly the pieces it touches, and a short last
// piece is hashed to its end.
func TestPieceHasher(t *testing.T) {
	const pieceLen = 4
	data := []byte("abcdefghijklmnopqrstuvw") // 23 bytes: 6 pieces, the last of 3
	var expected [][sha1.Size]byte
	for off := 0; off < len(data); off += pieceLen {
		expected = append(expected, sha1.Sum(data[off:min(off+pieceLen, len(data))]))
	}
	expected[4] = [sha1.Size]byte{} // piece 4 is "corrupt" on disk
	type op struct {
		skip bool
		n    int
	}
	cases := []struct {
		name string
		ops  []op
		want []bool
	}{
		{"one write", []op{{false, 23}}, []bool{true, true, true, true, false, true}},
		{"odd writes", []op{{false, 1}, {false, 6}, {false, 2}, {false, 9}, {false, 5}}, []bool{true, true, true, true, false, true}},
		{"hole inside piece 1", []op{{false, 5}, {true, 1}, {false, 17}}, []bool{true, false, true, true, false, true}},
		{"hole over pieces 1-3", []op{{false, 6}, {true, 7}, {false, 10}}, []bool{true, false, false, false, false, true}},
		{"hole at the end", []op{{false, 21}, {true, 2}}, []bool{true, true, true, true, false, false}},
		{"all missing", []op{{true, 23}}, []bool{false, false, false, false, false, false}},
		{"hole on a piece boundary", []op{{false, 8}, {true, 4}, {false, 11}}, []bool{true, true, false, true, false, true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok := make([]bool, len(expected))
			p := pieceHasher{h: sha1.New(), expected: expected, ok: ok, pieceLen: pieceLen, size: int64(len(data))}
			pos := 0
			for _, o := range c.ops {
				if o.skip {
					p.skip(int64(o.n))
				} else {
					p.write(data[pos : pos+o.n])
				}
				pos += o.n
			}
			if p.cur != len(expected) || p.pos != int64(len(data)) {
				t.Fatalf("hasher at piece %d, byte %d: not at the end", p.cur, p.pos)
			}
			for i := range ok {
				if ok[i] != c.want[i] {
					t.Fatalf("ok = %v, want %v", ok, c.want)
				}
			}
		})
	}
}

// planCheck groups consecutive pieces to verify into chunks of about
// checkChunkBytes, never joining pieces across a gap.
func TestPlanCheck(t *testing.T) {
	pl := makePayload(t, t.TempDir(), "f.bin", 10<<20+1, 1<<20, 40) // 11 pieces
	got := planCheck(&pl.meta.Info, nil)
	want := []checkChunk{{0, 4}, {4, 4}, {8, 3}}
	if len(got) != len(want) {
		t.Fatalf("full: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("full: %v, want %v", got, want)
		}
	}
	verify := make([]bool, 11)
	for _, p := range []int{1, 2, 4, 5, 6, 7, 8, 10} {
		verify[p] = true
	}
	got = planCheck(&pl.meta.Info, verify)
	want = []checkChunk{{1, 2}, {4, 4}, {8, 1}, {10, 1}}
	if len(got) != len(want) {
		t.Fatalf("verify: %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("verify: %v, want %v", got, want)
		}
	}
	big := makePayload(t, t.TempDir(), "g.bin", 17<<20, 8<<20, 41) // pieces above the chunk size
	if got := planCheck(&big.meta.Info, nil); len(got) != 2 || got[0] != (checkChunk{0, 2}) || got[1] != (checkChunk{2, 1}) {
		t.Fatalf("big pieces: %v, want two pieces a chunk (a pair)", got)
	}
}
