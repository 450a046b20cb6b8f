package piecepicker

import (
	"slices"
	"testing"

	"github.com/actorrent/actorrent/internal/bitfield"
)

const kib = 1024

func bf(n int, pieces ...int) bitfield.Bitfield {
	b := bitfield.New(n)
	for _, i := range pieces {
		b.Set(i)
	}
	return b
}

func TestGeometry(t *testing.T) {
	tests := []struct {
		name        string
		n           int
		pieceLen    int64
		total       int64
		wantBlocks  []int // per piece
		wantLastBlk []int // length of the last block per piece
	}{
		{"exact", 2, 32 * kib, 64 * kib, []int{2, 2}, []int{BlockSize, BlockSize}},
		{"short last piece", 3, 32 * kib, 80 * kib, []int{2, 2, 1}, []int{BlockSize, BlockSize, BlockSize}},
		{"short last block", 2, 32 * kib, 32*kib + 100, []int{2, 1}, []int{BlockSize, 100}},
		{"piece = block", 4, 16 * kib, 50000, []int{1, 1, 1, 1}, []int{BlockSize, BlockSize, BlockSize, 50000 - 3*BlockSize}},
		{"one piece", 1, 1 << 20, 12345, []int{1}, []int{12345}},
		{"one byte", 1, 16 * kib, 1, []int{1}, []int{1}},
		{"piece not block multiple", 2, 20 * kib, 40 * kib, []int{2, 2}, []int{4 * kib, 4 * kib}},
		{"inconsistent total clamps", 2, 32 * kib, 1 << 30, []int{2, 2}, []int{BlockSize, BlockSize}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(tt.n, tt.pieceLen, tt.total)
			if p.NumPieces() != tt.n {
				t.Fatalf("NumPieces = %d", p.NumPieces())
			}
			var sum int64
			for i := 0; i < tt.n; i++ {
				nb := p.BlocksInPiece(i)
				if nb != tt.wantBlocks[i] {
					t.Errorf("BlocksInPiece(%d) = %d want %d", i, nb, tt.wantBlocks[i])
				}
				if got := p.BlockLength(i, nb-1); got != tt.wantLastBlk[i] {
					t.Errorf("BlockLength(%d,last) = %d want %d", i, got, tt.wantLastBlk[i])
				}
				for b := 0; b < nb; b++ {
					sum += int64(p.BlockLength(i, b))
				}
			}
			if tt.name != "inconsistent total clamps" && sum != tt.total {
				t.Errorf("blocks sum to %d want %d", sum, tt.total)
			}
			for _, bad := range [][2]int{{-1, 0}, {tt.n, 0}, {0, -1}, {0, tt.wantBlocks[0]}} {
				if got := p.BlockLength(bad[0], bad[1]); got != 0 {
					t.Errorf("BlockLength(%v) = %d want 0", bad, got)
				}
			}
		})
	}
}

func TestNewDegenerate(t *testing.T) {
	for _, args := range [][3]int64{{0, 0, 0}, {-3, 16, 0}, {2, -1, 5}, {0, 16384, 0}} {
		p := New(int(args[0]), args[1], args[2])
		p.PeerHaveAll(1)
		if got := p.Pick(1, 10); len(got) != 0 {
			t.Errorf("New%v: Pick = %v", args, got)
		}
		if !p.IsComplete() || p.InEndGame() {
			t.Errorf("New%v: complete=%v endgame=%v", args, p.IsComplete(), p.InEndGame())
		}
		mustCheck(t, p)
	}
}

// pickPieces returns the distinct pieces of blocks, in first-seen order.
func pickPieces(blocks []Block) []int {
	var out []int
	for _, b := range blocks {
		if !slices.Contains(out, b.Piece) {
			out = append(out, b.Piece)
		}
	}
	return out
}

func TestRarestFirst(t *testing.T) {
	// Piece i is had by i+1 peers (piece 0 rarest) except piece 3, had by
	// one peer like piece 0; the picking peer is a seed.
	p := New(5, 16*kib, 5*16*kib)
	p.SetSeed(1)
	avail := map[int]int{0: 1, 1: 2, 2: 3, 3: 1, 4: 5}
	for pc, n := range avail {
		for k := 0; k < n; k++ {
			p.PeerHave(PeerKey(100+k), pc)
		}
	}
	p.PeerHaveAll(1)
	mustCheck(t, p)
	for pc, n := range avail {
		if got := p.Availability(pc); got != n+1 {
			t.Errorf("Availability(%d) = %d want %d", pc, got, n+1)
		}
	}
	got := pickPieces(p.Pick(1, 5))
	mustCheck(t, p)
	if len(got) != 5 {
		t.Fatalf("picked %v", got)
	}
	// 0 and 3 tie (random order), then 1, 2, 4.
	if !slices.Equal(got[2:], []int{1, 2, 4}) || !(slices.Equal(got[:2], []int{0, 3}) || slices.Equal(got[:2], []int{3, 0})) {
		t.Errorf("pick order %v, want {0,3} then 1 2 4", got)
	}
}

func TestRandomTieBreakIsSeeded(t *testing.T) {
	run := func(seed int64) []int {
		p := New(64, 16*kib, 64*16*kib)
		p.SetSeed(seed)
		p.PeerHaveAll(1)
		return pickPieces(p.Pick(1, 64))
	}
	a, b := run(7), run(7)
	if !slices.Equal(a, b) {
		t.Errorf("same seed gave %v and %v", a, b)
	}
	differs := false
	for s := int64(8); s < 16 && !differs; s++ {
		differs = run(s)[0] != a[0]
	}
	if !differs {
		t.Errorf("first pick never varies with the seed")
	}
}

func TestPartialPiecesFirst(t *testing.T) {
	// 3 pieces of 4 blocks. Peer 1 starts piece 0 (rarest), then piece 2
	// becomes rarer; peer 2 must still finish piece 0 first.
	p := New(3, 64*kib, 3*64*kib)
	p.SetSeed(3)
	p.PeerBitfield(1, bf(3, 0))
	p.PeerHaveAll(2)
	got := p.Pick(1, 2)
	if len(got) != 2 || got[0] != (Block{0, 0, BlockSize}) || got[1] != (Block{0, BlockSize, BlockSize}) {
		t.Fatalf("peer 1 picked %v", got)
	}
	p.PeerHave(3, 2) // piece 2 now rarer than piece 1
	p.PeerHave(4, 1)
	p.PeerHave(5, 1)
	mustCheck(t, p)
	got = p.Pick(2, 3)
	mustCheck(t, p)
	want := []Block{{0, 2 * BlockSize, BlockSize}, {0, 3 * BlockSize, BlockSize}, {2, 0, BlockSize}}
	if !slices.Equal(got, want) {
		t.Errorf("peer 2 picked %v want %v", got, want)
	}
}

func TestPartialFewestMissingFirst(t *testing.T) {
	p := New(2, 64*kib, 2*64*kib)
	p.PeerBitfield(1, bf(2, 0))
	p.PeerBitfield(2, bf(2, 1))
	p.PeerHaveAll(3)
	p.Pick(1, 1) // piece 0: 3 free
	p.Pick(2, 3) // piece 1: 1 free
	got := p.Pick(3, 2)
	want := []Block{{1, 3 * BlockSize, BlockSize}, {0, BlockSize, BlockSize}}
	if !slices.Equal(got, want) {
		t.Errorf("picked %v want %v", got, want)
	}
	mustCheck(t, p)
}

func TestPriorities(t *testing.T) {
	p := New(4, 16*kib, 4*16*kib)
	p.SetSeed(5)
	// Piece 3 is the most common but has the highest priority; piece 0 is
	// rarest but not wanted.
	p.PeerHave(10, 0)
	p.PeerHave(11, 3)
	p.PeerHave(12, 3)
	p.PeerHaveAll(1)
	p.SetPiecePriority(3, 7)
	p.SetPiecePriority(0, 0)
	p.SetPiecePriority(1, 2)
	mustCheck(t, p)
	got := pickPieces(p.Pick(1, 10))
	mustCheck(t, p)
	if want := []int{3, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("picked %v want %v", got, want)
	}
	if p.IsComplete() {
		t.Fatal("complete before any piece")
	}
	for _, pc := range []int{1, 2, 3} {
		for blk := 0; blk < p.BlocksInPiece(pc); blk++ {
			if ok, _, done := p.BlockReceived(1, p.block(pc, blk)); !ok || !done {
				t.Fatalf("receive %d: ok=%v done=%v", pc, ok, done)
			}
		}
		p.PiecePassed(pc)
	}
	mustCheck(t, p)
	if !p.IsComplete() || p.NumHave() != 3 || p.Have(0) {
		t.Errorf("complete=%v have=%d have(0)=%v", p.IsComplete(), p.NumHave(), p.Have(0))
	}
	if p.IsInteresting(1) || p.IsInteresting(10) {
		t.Error("peers interesting though only unwanted piece is missing")
	}
	if got := p.Pick(1, 10); got != nil {
		t.Errorf("picked unwanted %v", got)
	}
	// Wanting piece 0 again makes us incomplete and peer 10 interesting.
	p.SetPiecePriority(0, 1)
	mustCheck(t, p)
	if p.IsComplete() || !p.IsInteresting(10) {
		t.Errorf("after re-want: complete=%v interesting=%v", p.IsComplete(), p.IsInteresting(10))
	}
	if got := pickPieces(p.Pick(10, 10)); !slices.Equal(got, []int{0}) {
		t.Errorf("picked %v want [0]", got)
	}
	// Clamping.
	p.SetPiecePriority(1, 99)
	p.SetPiecePriority(2, -4)
	if p.PiecePriority(1) != MaxPriority || p.PiecePriority(2) != 0 {
		t.Errorf("clamp: %d %d", p.PiecePriority(1), p.PiecePriority(2))
	}
	mustCheck(t, p)
}

func TestPriorityZeroWhileDownloading(t *testing.T) {
	p := New(1, 64*kib, 64*kib)
	p.PeerHaveAll(1)
	first := p.Pick(1, 2)
	p.SetPiecePriority(0, 0)
	mustCheck(t, p)
	if got := p.Pick(1, 10); got != nil {
		t.Errorf("picked %v from unwanted piece", got)
	}
	if !p.IsComplete() || p.InEndGame() {
		t.Errorf("complete=%v endgame=%v", p.IsComplete(), p.InEndGame())
	}
	// Requests already made still complete normally.
	if ok, _, _ := p.BlockReceived(1, first[0]); !ok {
		t.Error("outstanding block of unwanted piece rejected")
	}
	p.SetPiecePriority(0, 4)
	mustCheck(t, p)
	got := p.Pick(1, 10)
	want := []Block{{0, 2 * BlockSize, BlockSize}, {0, 3 * BlockSize, BlockSize}}
	if !slices.Equal(got, want) {
		t.Errorf("picked %v want %v", got, want)
	}
}

func TestPeerWithoutPieceNeverGetsIt(t *testing.T) {
	p := New(8, 32*kib, 8*32*kib)
	p.PeerBitfield(1, bf(8, 1, 5))
	p.PeerHaveAll(2)
	for round := 0; round < 5; round++ {
		for _, b := range p.Pick(1, 3) {
			if b.Piece != 1 && b.Piece != 5 {
				t.Fatalf("peer 1 got block of piece %d", b.Piece)
			}
		}
		mustCheck(t, p)
	}
	if got := p.NumOutstanding(1); got != 4 {
		t.Errorf("NumOutstanding = %d want 4", got)
	}
	if got := p.Pick(99, 3); got != nil {
		t.Errorf("unknown peer got %v", got)
	}
	p.PeerBitfield(3, bf(8))
	if got := p.Pick(3, 3); got != nil || p.IsInteresting(3) {
		t.Errorf("empty peer got %v interesting=%v", got, p.IsInteresting(3))
	}
}

func TestBitfieldReplacesAndSeeds(t *testing.T) {
	p := New(10, 16*kib, 10*16*kib)
	p.PeerBitfield(1, bf(10, 0, 1, 2))
	p.PeerBitfield(1, bf(10, 2, 3))
	mustCheck(t, p)
	for pc, want := range []int{0, 0, 1, 1, 0} {
		if got := p.Availability(pc); got != want {
			t.Errorf("Availability(%d) = %d want %d", pc, got, want)
		}
	}
	if !p.PeerHasPiece(1, 3) || p.PeerHasPiece(1, 0) || p.PeerHasPiece(1, 10) || p.PeerHasPiece(2, 3) {
		t.Error("PeerHasPiece wrong")
	}
	// Wrong-length bitfield: extra bits ignored.
	long := bf(20, 9, 15)
	p.PeerBitfield(2, long)
	mustCheck(t, p)
	if p.Availability(9) != 1 {
		t.Errorf("Availability(9) = %d", p.Availability(9))
	}
	// A full bitfield and HAVEs completing the set make seeds.
	all := bitfield.New(10)
	all.SetAll()
	p.PeerBitfield(3, all)
	for i := 0; i < 10; i++ {
		p.PeerHave(4, i)
		p.PeerHave(4, i)
	}
	p.PeerHave(4, -1)
	p.PeerHave(4, 10)
	mustCheck(t, p)
	if p.numSeeds != 2 || p.Availability(0) != 2 || p.Availability(3) != 3 {
		t.Errorf("seeds %d avail0 %d avail3 %d", p.numSeeds, p.Availability(0), p.Availability(3))
	}
	p.PeerBitfield(3, bf(10, 5))
	p.PeerRemoved(4)
	p.PeerRemoved(4)
	mustCheck(t, p)
	if p.numSeeds != 0 || p.Availability(5) != 1 || p.Availability(0) != 0 {
		t.Errorf("seeds %d avail5 %d", p.numSeeds, p.Availability(5))
	}
}

func TestIsInteresting(t *testing.T) {
	p := New(3, 16*kib, 3*16*kib)
	p.PeerBitfield(1, bf(3, 1))
	p.PeerHaveAll(2)
	if !p.IsInteresting(1) || !p.IsInteresting(2) || p.IsInteresting(3) {
		t.Fatal("initial interest wrong")
	}
	p.SetHave(1)
	if p.IsInteresting(1) || !p.IsInteresting(2) {
		t.Error("peer 1 still interesting after we got its only piece")
	}
	p.SetHave(0)
	p.SetPiecePriority(2, 0)
	if p.IsInteresting(2) {
		t.Error("seed interesting though we have every wanted piece")
	}
	mustCheck(t, p)
}
