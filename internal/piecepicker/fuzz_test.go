package piecepicker

import (
	"slices"
	"testing"
	"time"
)

// FuzzPicker feeds peer-controlled inputs (HAVE indices, bitfields and
// PIECE message coordinates, which come off the wire) and our own calls
// in fuzzer-chosen order, checking the picker's invariants after each and
// that it never hands a peer a block of a piece it lacks or a block twice.
func FuzzPicker(f *testing.F) {
	f.Add([]byte{3, 1, 0, 0, 0, 0, 2, 2, 4, 5, 6, 7})
	f.Add([]byte{0, 0, 0, 1, 1, 1, 2, 0, 9, 3, 0, 0, 3, 1, 0, 4, 0, 0, 5, 0, 0})
	f.Add([]byte{7, 7, 7, 2, 1, 3, 3, 0, 10, 3, 0, 10, 4, 0, 0, 4, 1, 1, 8, 2, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 {
			return
		}
		n := 1 + int(data[0])%12
		pieceLen := int64(BlockSize * (1 + int(data[1])%4))
		total := pieceLen*int64(n-1) + 1 + int64(data[2])*997%pieceLen
		p := New(n, pieceLen, total)
		p.SetSeed(int64(data[0]))
		data = data[3:]
		given := map[PeerKey][]Block{}
		for len(data) >= 3 {
			op, a, b := data[0]%12, data[1], data[2]
			data = data[3:]
			peer := PeerKey(a % 4)
			switch op {
			case 0:
				p.PeerHave(peer, int(int8(b)))
			case 1:
				bf := bf(n)
				for i := 0; i < n; i++ {
					if (int(b)>>(i%8))&1 == 1 {
						bf.Set(i)
					}
				}
				p.PeerBitfield(peer, bf)
			case 2:
				p.PeerHaveAll(peer)
			case 3:
				got := p.Pick(peer, int(b%20))
				for _, blk := range got {
					if !p.PeerHasPiece(peer, blk.Piece) || slices.Contains(given[peer], blk) {
						t.Fatalf("bad pick %v for peer %d", blk, peer)
					}
				}
				given[peer] = append(given[peer], got...)
			case 4, 5:
				// Block coordinates as a peer might send them.
				blk := Block{Piece: int(a>>4) - 1, Begin: int(b>>4) * BlockSize, Length: BlockSize}
				if b&1 == 1 {
					blk.Begin += int(b)
				}
				if b&2 == 2 {
					blk.Length = p.BlockLength(blk.Piece, blk.Begin/BlockSize)
				}
				if op == 4 {
					if ok, _, done := p.BlockReceived(peer, blk); ok && done {
						if b&4 == 4 {
							p.PieceFailed(blk.Piece)
						} else {
							p.PiecePassed(blk.Piece)
						}
					}
				} else {
					p.Cancel(peer, blk)
				}
			case 6:
				if len(given[peer]) > 0 {
					blk := given[peer][int(b)%len(given[peer])]
					if ok, _, done := p.BlockReceived(peer, blk); ok && done {
						p.PiecePassed(blk.Piece)
					}
				}
			case 7:
				p.PeerRemoved(peer)
			case 8:
				p.SetPiecePriority(int(a)%n, int(b%9)-1)
			case 9:
				p.SetHave(int(b) % (n + 1))
			case 10:
				p.SetSequential(b&1 == 1)
			case 11:
				if b&1 == 1 {
					p.SetDeadline(int(a)%n, time.Unix(int64(b), 0))
				} else {
					p.ResetDeadline(int(a) % n)
				}
			}
			// Forget given blocks that are no longer outstanding.
			for k := range given {
				out := p.Outstanding(k)
				given[k] = slices.DeleteFunc(given[k], func(x Block) bool { return !slices.Contains(out, x) })
			}
			if err := p.check(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
