package piecepicker

import (
	"slices"
	"testing"
)

// A peer on parole gets only pieces of its own: not a piece another peer
// has requested blocks of or sent blocks of, and no end game; a new piece
// it starts stays its own across picks.
func TestParolePicksOwnPieces(t *testing.T) {
	p := New(3, 64*kib, 3*64*kib) // 4 blocks a piece
	p.SetSeed(1)
	p.PeerHaveAll(1)
	p.PeerHaveAll(2)
	p.PeerBitfield(3, bf(3, 1))
	p.SetPiecePriority(0, 7)
	// Peer 2 requests one block of piece 0; peer 3 sends one of piece 1.
	if b := p.Pick(2, 1); len(b) != 1 || b[0].Piece != 0 {
		t.Fatalf("peer 2 picked %v", b)
	}
	b1 := p.Pick(3, 1)
	if len(b1) != 1 || b1[0].Piece != 1 {
		t.Fatalf("peer 3 picked %v", b1)
	}
	if ok, _, _ := p.BlockReceived(3, b1[0]); !ok {
		t.Fatal("block not taken")
	}
	got := p.PickFor(1, 3, Hints{Parole: true})
	mustCheck(t, p)
	if pickPieces(got)[0] != 2 || len(got) != 3 {
		t.Fatalf("on parole picked %v, want three blocks of piece 2", got)
	}
	got = p.PickFor(1, 3, Hints{Parole: true})
	if !slices.Equal(pickPieces(got), []int{2}) || len(got) != 1 {
		t.Fatalf("on parole, next pick %v, want the last block of piece 2 and nothing shared", got)
	}
	if got := p.Pick(1, 6); len(got) != 6 || !slices.Equal(pickPieces(got), []int{0, 1}) {
		t.Fatalf("off parole picked %v, want the 3 free blocks of piece 0 and of piece 1", got)
	}
	// Every block is requested now: the end game, but not on parole.
	if !p.InEndGame() {
		t.Fatal("not in end game")
	}
	if got := p.PickFor(2, 16, Hints{Parole: true}); got != nil {
		t.Fatalf("on parole in end game picked %v", got)
	}
	if got := p.Pick(2, 16); len(got) == 0 {
		t.Fatal("off parole in end game picked nothing")
	}
	mustCheck(t, p)
}

// A fast peer (Whole) finishes the pieces it requests alone and starts new
// ones before it takes blocks of a piece another peer is requesting; it
// takes those when nothing else is left. Without the hint, partial pieces
// come first.
func TestWholePiecesForFastPeers(t *testing.T) {
	setup := func() *Picker {
		p := New(2, 64*kib, 2*64*kib) // 4 blocks a piece
		p.SetSeed(1)
		p.PeerHaveAll(1)
		p.PeerHaveAll(2)
		p.PeerHaveAll(3)
		p.SetPiecePriority(1, 3) // piece 0 first
		if got := p.Pick(2, 1); len(got) != 1 || got[0].Piece != 0 {
			t.Fatalf("peer 2 picked %v", got)
		}
		return p
	}
	p := setup()
	if got := p.Pick(1, 2); !slices.Equal(pickPieces(got), []int{0}) {
		t.Fatalf("without the hint picked %v, want piece 0 (partial)", got)
	}
	p = setup()
	for i, want := range [][]int{{1}, {1}, {0}} {
		got := p.PickFor(1, 2, Hints{Whole: true})
		mustCheck(t, p)
		if !slices.Equal(pickPieces(got), want) || len(got) != 2 {
			t.Fatalf("pick %d: %v, want two blocks of %v", i, got, want)
		}
	}
}

// With more than 2048 blocks in partial pieces, the Whole hint is
// ignored: partial pieces are finished first.
func TestWholeIgnoredWithManyPartials(t *testing.T) {
	const pieceLen = 16 << 20 // 1024 blocks
	for _, tt := range []struct {
		partials   int
		wantShared bool
	}{{2, false}, {3, true}} {
		p := New(4, pieceLen, 4*pieceLen)
		p.SetSeed(1)
		p.PeerHaveAll(1)
		for i := range tt.partials {
			p.PeerBitfield(PeerKey(10+i), bf(4, i))
			if b := p.Pick(PeerKey(10+i), 1); len(b) != 1 || b[0].Piece != i {
				t.Fatalf("peer %d picked %v", 10+i, b)
			}
		}
		got := p.PickFor(1, 1, Hints{Whole: true})
		mustCheck(t, p)
		if shared := len(got) == 1 && got[0].Piece < tt.partials; shared != tt.wantShared {
			t.Fatalf("%d partial pieces: picked %v, want a shared piece: %v", tt.partials, got, tt.wantShared)
		}
	}
}
