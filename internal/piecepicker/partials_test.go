package piecepicker

import (
	"slices"
	"testing"
)

// Partial pieces first (the zero Policy, prioritize_partial_pieces on) or
// ranked by rarity like new pieces, ahead of them only among equals.
func TestPartialsByRarity(t *testing.T) {
	tests := []struct {
		name string
		pol  Policy
		more func(p *Picker) // availability changes after piece 0 started
		want []Block
	}{
		{"partials first", Policy{}, func(p *Picker) { p.PeerHave(6, 0); p.PeerHave(7, 0) },
			[]Block{{0, 2 * BlockSize, BlockSize}, {0, 3 * BlockSize, BlockSize}, {2, 0, BlockSize}}},
		{"by rarity: the rarer new piece first", Policy{PartialsByRarity: true}, func(p *Picker) { p.PeerHave(6, 0); p.PeerHave(7, 0) },
			[]Block{{2, 0, BlockSize}, {2, BlockSize, BlockSize}, {2, 2 * BlockSize, BlockSize}}},
		{"by rarity: the partial piece first among equals", Policy{PartialsByRarity: true}, func(*Picker) {},
			[]Block{{0, 2 * BlockSize, BlockSize}, {0, 3 * BlockSize, BlockSize}, {2, 0, BlockSize}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 3 pieces of 4 blocks; peer 1 starts piece 0; piece 2 is had
			// by one peer, piece 1 by two.
			p := New(3, 64*kib, 3*64*kib)
			p.SetSeed(3)
			p.SetPolicy(tt.pol)
			p.PeerBitfield(1, bf(3, 0))
			p.PeerHaveAll(2)
			if got := p.Pick(1, 2); len(got) != 2 || got[0].Piece != 0 {
				t.Fatalf("peer 1 picked %v", got)
			}
			p.PeerHave(3, 2)
			p.PeerHave(4, 1)
			p.PeerHave(5, 1)
			tt.more(p)
			got := p.Pick(2, 3)
			mustCheck(t, p)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("peer 2 picked %v, want %v", got, tt.want)
			}
		})
	}
}

// Ranked by rarity, partial pieces still go first once they hold more than
// 2048 blocks (libtorrent's partial_ratio).
func TestPartialsByRarityBounded(t *testing.T) {
	const pieceLen = 16 << 20 // 1024 blocks
	for _, tt := range []struct {
		partials int
		want     int // piece picked by the seed
	}{{2, 3}, {3, 0}} {
		p := New(4, pieceLen, 4*pieceLen)
		p.SetPolicy(Policy{PartialsByRarity: true})
		p.PeerHaveAll(1)
		for i := range 3 {
			for k := range 3 { // pieces 0-2 more common than piece 3
				p.PeerHave(PeerKey(10+k), i)
			}
		}
		for i := range tt.partials { // peer 20+i starts piece i
			p.PeerBitfield(PeerKey(20+i), bf(4, i))
			if b := p.Pick(PeerKey(20+i), 1); len(b) != 1 || b[0].Piece != i {
				t.Fatalf("peer %d picked %v", 20+i, b)
			}
		}
		got := p.Pick(1, 1)
		mustCheck(t, p)
		if len(got) != 1 || got[0].Piece != tt.want {
			t.Fatalf("%d partial pieces: picked %v, want piece %d", tt.partials, got, tt.want)
		}
	}
}
