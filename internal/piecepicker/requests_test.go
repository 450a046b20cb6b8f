package piecepicker

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestEndGameDuplicatesAndCancels(t *testing.T) {
	// One piece of 3 blocks; every peer has it.
	p := New(1, 48*kib, 48*kib)
	for k := PeerKey(1); k <= 3; k++ {
		p.PeerHaveAll(k)
	}
	a := p.Pick(1, 10)
	if len(a) != 3 {
		t.Fatalf("peer 1 got %v", a)
	}
	if !p.InEndGame() {
		t.Fatal("not in end game with every block requested")
	}
	if got := p.Pick(1, 10); got != nil {
		t.Errorf("peer 1 got its own blocks again: %v", got)
	}
	b := p.Pick(2, 2)
	if !slices.Equal(b, a[:2]) {
		t.Errorf("peer 2 end game got %v want %v", b, a[:2])
	}
	c := p.Pick(3, 10)
	if !slices.Equal(c, a[2:]) {
		t.Errorf("peer 3 got %v, want only the block with one holder %v", c, a[2:])
	}
	mustCheck(t, p)
	if got := p.Pick(2, 10); got != nil {
		t.Errorf("third holder allowed: %v", got)
	}
	ok, others, done := p.BlockReceived(2, a[0])
	if !ok || !slices.Equal(others, []PeerKey{1}) || done {
		t.Errorf("BlockReceived = %v %v %v", ok, others, done)
	}
	if p.NumOutstanding(1) != 2 || p.NumOutstanding(2) != 1 {
		t.Errorf("outstanding %d %d", p.NumOutstanding(1), p.NumOutstanding(2))
	}
	// Peer 1's late copy of the same block is no longer expected.
	if ok, _, _ := p.BlockReceived(1, a[0]); ok {
		t.Error("duplicate block accepted")
	}
	ok, others, _ = p.BlockReceived(1, a[2])
	if !ok || !slices.Equal(others, []PeerKey{3}) {
		t.Errorf("block 2: %v %v", ok, others)
	}
	ok, others, done = p.BlockReceived(1, a[1])
	if !ok || !slices.Equal(others, []PeerKey{2}) || !done {
		t.Errorf("last block: %v %v %v", ok, others, done)
	}
	mustCheck(t, p)
	for k := PeerKey(1); k <= 3; k++ {
		if n := p.NumOutstanding(k); n != 0 {
			t.Errorf("peer %d still has %d outstanding", k, n)
		}
	}
	p.PiecePassed(0)
	if !p.IsComplete() || p.InEndGame() {
		t.Errorf("complete=%v endgame=%v", p.IsComplete(), p.InEndGame())
	}
	mustCheck(t, p)
}

func TestEndGameNotWhileFreeBlocksRemain(t *testing.T) {
	p := New(2, 32*kib, 64*kib)
	p.PeerBitfield(1, bf(2, 0))
	p.PeerBitfield(2, bf(2, 0))
	p.Pick(1, 10)
	// Piece 1 is unrequested (nobody has it), so no end game yet.
	if p.InEndGame() {
		t.Error("end game with piece 1 untouched")
	}
	if got := p.Pick(2, 10); got != nil {
		t.Errorf("duplicate handed out outside end game: %v", got)
	}
}

func TestPeerRemovedFreesRequests(t *testing.T) {
	p := New(4, 32*kib, 4*32*kib)
	p.SetSeed(2)
	p.PeerHaveAll(1)
	p.PeerBitfield(2, bf(4, 0, 1, 2, 3))
	got := p.Pick(1, 3)
	mustCheck(t, p)
	p.PeerRemoved(1)
	mustCheck(t, p)
	if p.NumOutstanding(1) != 0 || p.Outstanding(1) != nil || p.IsInteresting(1) {
		t.Error("removed peer still known")
	}
	if p.Availability(0) != 1 {
		t.Errorf("Availability = %d", p.Availability(0))
	}
	again := p.Pick(2, 8)
	mustCheck(t, p)
	if len(again) != 8 {
		t.Fatalf("peer 2 got %d blocks", len(again))
	}
	for _, b := range got {
		if !slices.Contains(again, b) {
			t.Errorf("freed block %v not re-offered", b)
		}
	}
	if ok, _, _ := p.BlockReceived(1, got[0]); ok {
		t.Error("removed peer's block accepted")
	}
}

func TestCancelReoffers(t *testing.T) {
	p := New(1, 64*kib, 64*kib)
	p.PeerHaveAll(1)
	p.PeerHaveAll(2)
	got := p.Pick(1, 2)
	p.BlockReceived(1, got[0])
	p.Cancel(1, got[1])
	p.Cancel(1, got[1])                               // no-op
	p.Cancel(2, got[0])                               // not requested by 2
	p.Cancel(1, Block{Piece: 0, Begin: 1, Length: 5}) // malformed
	mustCheck(t, p)
	if p.NumOutstanding(1) != 0 {
		t.Errorf("outstanding %d", p.NumOutstanding(1))
	}
	want := []Block{{0, BlockSize, BlockSize}, {0, 2 * BlockSize, BlockSize}, {0, 3 * BlockSize, BlockSize}}
	if got := p.Pick(2, 10); !slices.Equal(got, want) {
		t.Errorf("picked %v want %v", got, want)
	}
	if got := p.Outstanding(2); !slices.Equal(got, want) {
		t.Errorf("Outstanding = %v", got)
	}
	if p.PieceBlocksReceived(0) != 1 || !p.IsBlockReceived(Block{0, 0, BlockSize}) || p.IsBlockReceived(want[0]) {
		t.Error("received bookkeeping wrong")
	}
}

func TestCancelAllReturnsPieceToOrder(t *testing.T) {
	p := New(2, 32*kib, 64*kib)
	p.PeerHaveAll(1)
	for _, b := range p.Pick(1, 2) {
		p.Cancel(1, b)
	}
	mustCheck(t, p)
	if len(p.dlList) != 0 || len(p.order.pieces) != 2 {
		t.Errorf("dl %v order %v", p.dlList, p.order.pieces)
	}
}

func TestPieceFailedReoffersBlocks(t *testing.T) {
	p := New(2, 32*kib, 48*kib)
	p.PeerBitfield(1, bf(2, 1))
	p.PeerBitfield(2, bf(2, 1))
	p.PeerBitfield(3, bf(2, 0))
	b1 := p.Pick(1, 1)
	if len(b1) != 1 || b1[0] != (Block{1, 0, BlockSize}) {
		t.Fatalf("peer 1 got %v (last piece is a single block)", b1)
	}
	p.Pick(3, 1)
	if ok, _, done := p.BlockReceived(1, b1[0]); !ok || !done {
		t.Fatalf("receive: %v %v", ok, done)
	}
	if got := p.PieceFailed(1); !slices.Equal(got, []PeerKey{1}) {
		t.Errorf("contributors %v", got)
	}
	mustCheck(t, p)
	if p.PieceBlocksReceived(1) != 0 || p.Have(1) {
		t.Error("failed piece kept state")
	}
	if got := p.Pick(2, 5); !slices.Equal(got, b1) {
		t.Errorf("after failure peer 2 got %v want %v", got, b1)
	}
	// Two contributors, reported once each, sorted.
	p.BlockReceived(2, b1[0])
	p.PeerHaveAll(4)
	p.PeerHaveAll(5)
	for _, b := range p.Pick(5, 1) {
		p.BlockReceived(5, b)
	}
	for _, b := range p.Pick(4, 1) {
		p.BlockReceived(4, b)
	}
	if got := p.PieceFailed(0); !slices.Equal(got, []PeerKey{4, 5}) {
		t.Errorf("contributors of piece 0: %v", got)
	}
	// Piece 0 had an outstanding request from peer 3: dropped too.
	if p.NumOutstanding(3) != 0 {
		t.Errorf("peer 3 outstanding %d", p.NumOutstanding(3))
	}
	if p.PieceFailed(0) != nil || p.PieceFailed(-1) != nil {
		t.Error("PieceFailed of idle piece returned peers")
	}
	mustCheck(t, p)
}

func TestBlockReceivedRejects(t *testing.T) {
	p := New(2, 32*kib, 40*kib)
	p.SetPiecePriority(0, 7) // make the pick deterministic: piece 0
	p.PeerHaveAll(1)
	p.PeerHaveAll(2)
	got := p.Pick(1, 1)
	tests := []struct {
		name string
		peer PeerKey
		b    Block
	}{
		{"unrequested block", 1, Block{0, BlockSize, BlockSize}},
		{"requested from another peer", 2, got[0]},
		{"unknown peer", 9, got[0]},
		{"misaligned", 1, Block{0, 100, BlockSize}},
		{"wrong length", 1, Block{0, 0, 100}},
		{"bad piece", 1, Block{7, 0, BlockSize}},
		{"negative", 1, Block{-1, -BlockSize, BlockSize}},
		{"short last block wrong length", 1, Block{1, 0, BlockSize}},
		{"idle piece", 1, Block{1, 0, 8 * kib}},
	}
	for _, tt := range tests {
		if ok, others, done := p.BlockReceived(tt.peer, tt.b); ok || others != nil || done {
			t.Errorf("%s: got %v %v %v", tt.name, ok, others, done)
		}
	}
	mustCheck(t, p)
	if ok, _, _ := p.BlockReceived(1, got[0]); !ok {
		t.Fatal("requested block rejected")
	}
	if ok, _, _ := p.BlockReceived(1, got[0]); ok {
		t.Error("already received block accepted")
	}
	p.PiecePassed(0)
	p.PiecePassed(0)
	mustCheck(t, p)
}

func TestSetHaveDropsRequests(t *testing.T) {
	p := New(1, 32*kib, 32*kib)
	p.PeerHaveAll(1)
	got := p.Pick(1, 2)
	p.SetHave(0)
	mustCheck(t, p)
	if p.NumOutstanding(1) != 0 {
		t.Errorf("outstanding %d", p.NumOutstanding(1))
	}
	if ok, _, _ := p.BlockReceived(1, got[0]); ok {
		t.Error("block of had piece accepted")
	}
	hb := p.HaveBitfield()
	hb.Clear(0)
	if !p.Have(0) {
		t.Error("HaveBitfield is not a copy")
	}
}

func TestManyPeersGrowBuckets(t *testing.T) {
	// 100 peers: piece i is had by i of them, so availabilities exceed the
	// initial stride and force rebuilds; the order must stay rarest first.
	const n = 100
	p := New(n, 16*kib, n*16*kib)
	p.SetSeed(9)
	for k := 1; k <= n; k++ {
		b := bf(n)
		for i := n - k; i < n; i++ {
			b.Set(i)
		}
		p.PeerBitfield(PeerKey(k), b)
	}
	mustCheck(t, p)
	got := pickPieces(p.Pick(PeerKey(n), n))
	mustCheck(t, p)
	for i := 1; i < len(got); i++ {
		if p.Availability(got[i]) < p.Availability(got[i-1]) {
			t.Fatalf("not rarest first: %v", got)
		}
	}
	if len(got) != n {
		t.Errorf("picked %d pieces", len(got))
	}
}

func TestSparsePeerPath(t *testing.T) {
	p := New(1000, 16*kib, 1000*16*kib)
	p.SetSeed(4)
	p.PeerBitfield(1, bf(1000, 10, 500, 900))
	p.PeerHave(2, 900)
	p.PeerHave(3, 900)
	p.PeerHave(2, 10)
	p.SetPiecePriority(500, 6)
	got := pickPieces(p.Pick(1, 3))
	if want := []int{500, 10, 900}; !slices.Equal(got, want) {
		t.Errorf("sparse peer picked %v want %v", got, want)
	}
	mustCheck(t, p)
}

// TestRandomOperations drives the picker with random calls and checks the
// internal invariants and the contract's promises after each one.
func TestRandomOperations(t *testing.T) {
	for seed := uint64(0); seed < 30; seed++ {
		r := rand.New(rand.NewPCG(seed, 1))
		n := 1 + r.IntN(40)
		pieceLen := int64(BlockSize * (1 + r.IntN(5)))
		total := pieceLen*int64(n-1) + 1 + r.Int64N(pieceLen)
		p := New(n, pieceLen, total)
		p.SetSeed(int64(seed))
		pending := map[PeerKey][]Block{}
		for step := 0; step < 2000; step++ {
			peer := PeerKey(r.IntN(6))
			switch op := r.IntN(100); {
			case op < 10:
				p.PeerHave(peer, r.IntN(n+1)-1)
			case op < 13:
				b := bf(n)
				for i := 0; i < n; i++ {
					if r.IntN(3) == 0 {
						b.Set(i)
					}
				}
				p.PeerBitfield(peer, b)
			case op < 15:
				p.PeerHaveAll(peer)
			case op < 18:
				p.PeerRemoved(peer)
				pending[peer] = nil
			case op < 45:
				got := p.Pick(peer, 1+r.IntN(10))
				for _, b := range got {
					if !p.PeerHasPiece(peer, b.Piece) || p.Have(b.Piece) {
						t.Fatalf("seed %d: gave %v to peer %d without piece/for had piece", seed, b, peer)
					}
					if slices.Contains(pending[peer], b) {
						t.Fatalf("seed %d: %v given twice to peer %d", seed, b, peer)
					}
				}
				pending[peer] = append(pending[peer], got...)
			case op < 75:
				if len(pending[peer]) == 0 {
					continue
				}
				i := r.IntN(len(pending[peer]))
				b := pending[peer][i]
				pending[peer] = slices.Delete(pending[peer], i, i+1)
				ok, others, done := p.BlockReceived(peer, b)
				for _, o := range others {
					pending[o] = slices.DeleteFunc(pending[o], func(x Block) bool { return x == b })
				}
				if ok && done {
					if r.IntN(5) == 0 {
						p.PieceFailed(b.Piece)
					} else {
						p.PiecePassed(b.Piece)
					}
				}
			case op < 85:
				if len(pending[peer]) == 0 {
					continue
				}
				i := r.IntN(len(pending[peer]))
				p.Cancel(peer, pending[peer][i])
				pending[peer] = slices.Delete(pending[peer], i, i+1)
			case op < 92:
				p.SetPiecePriority(r.IntN(n), r.IntN(9)-1)
			default:
				p.SetHave(r.IntN(n))
			}
			if err := p.check(); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			// pending mirrors Outstanding (modulo blocks dropped by
			// SetHave/PieceFailed, which the model prunes here).
			for k := range pending {
				out := p.Outstanding(k)
				pending[k] = slices.DeleteFunc(pending[k], func(b Block) bool { return !slices.Contains(out, b) })
				if len(out) != len(pending[k]) {
					t.Fatalf("seed %d step %d: peer %d outstanding %v model %v", seed, step, k, out, pending[k])
				}
			}
		}
	}
}
