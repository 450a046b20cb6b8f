package piecepicker

import (
	"slices"
	"testing"
	"time"
)

// Sequential download picks new pieces in index order whatever their
// rarity, skips pieces not wanted and pieces the peer lacks, and finishes
// started pieces lowest index first.
func TestSequential(t *testing.T) {
	p := New(8, 2*BlockSize, 8*2*BlockSize)
	p.SetSeed(1)
	for k := range 5 { // pieces 0..3 common, 4..7 rare
		p.PeerBitfield(PeerKey(100+k), bf(8, 0, 1, 2, 3))
	}
	p.PeerHaveAll(1)
	p.PeerBitfield(2, bf(8, 0, 2, 5, 6))
	p.SetPiecePriority(1, DontDownload)
	p.SetSequential(true)
	if !p.Sequential() {
		t.Fatal("Sequential() false after SetSequential(true)")
	}
	got := p.Pick(1, 6) // 3 pieces of 2 blocks
	mustCheck(t, p)
	if pcs := pickPieces(got); !slices.Equal(pcs, []int{0, 2, 3}) {
		t.Fatalf("sequential pick %v, want 0 2 3 (1 not wanted)", pcs)
	}
	if pcs := pickPieces(p.Pick(2, 4)); !slices.Equal(pcs, []int{5, 6}) {
		t.Fatalf("a peer with 0 2 5 6 got %v, want 5 6 (0 and 2 taken)", pcs)
	}
	// Cancel piece 3's blocks and piece 0's second: the partial pieces
	// come back lowest index first.
	p.Cancel(1, got[5])
	p.Cancel(1, got[4])
	p.Cancel(1, got[1])
	mustCheck(t, p)
	if pcs := pickPieces(p.Pick(1, 2)); !slices.Equal(pcs, []int{0, 3}) {
		t.Fatalf("re-pick %v, want 0 then 3", pcs)
	}
	p.SetSequential(false)
	if p.Sequential() {
		t.Fatal("Sequential() true after SetSequential(false)")
	}
}

// Time-critical pieces come first, soonest deadline first; a second peer
// may request a block the first has outstanding (at most two holders);
// having the piece ends its deadline.
func TestDeadlines(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := New(10, 2*BlockSize, 10*2*BlockSize)
	p.SetSeed(1)
	for _, k := range []PeerKey{1, 2, 3} {
		p.PeerHaveAll(k)
	}
	p.SetDeadline(7, t0.Add(2*time.Second))
	p.SetDeadline(4, t0.Add(time.Second))
	p.SetDeadline(9, t0.Add(3*time.Second))
	p.SetDeadline(9, t0) // moved to the front
	if p.NumDeadlines() != 3 {
		t.Fatalf("%d deadlines, want 3", p.NumDeadlines())
	}
	if d, ok := p.Deadline(9); !ok || !d.Equal(t0) {
		t.Fatalf("Deadline(9) = %v %v", d, ok)
	}
	got := p.Pick(1, 6)
	mustCheck(t, p)
	if pcs := pickPieces(got); !slices.Equal(pcs, []int{9, 4, 7}) {
		t.Fatalf("critical pick %v, want 9 4 7", pcs)
	}
	// Peer 2 gets the same blocks a second time, soonest first.
	dup := p.Pick(2, 2)
	mustCheck(t, p)
	if !slices.Equal(dup, got[:2]) {
		t.Fatalf("second peer got %v, want %v", dup, got[:2])
	}
	// A third peer gets none of piece 9's blocks (two holders each) but
	// piece 4's, which only peer 1 holds.
	third := p.Pick(3, 2)
	mustCheck(t, p)
	if pcs := pickPieces(third); !slices.Equal(pcs, []int{4}) {
		t.Fatalf("third peer got %v, want piece 4", pcs)
	}
	for _, b := range got[:2] {
		if ok, _, done := p.BlockReceived(1, b); ok && done {
			p.PiecePassed(b.Piece)
		}
	}
	mustCheck(t, p)
	if _, ok := p.Deadline(9); ok || p.NumDeadlines() != 2 {
		t.Fatalf("piece 9 passed but still has a deadline (%d left)", p.NumDeadlines())
	}
	p.SetDeadline(9, t0) // had: ignored
	p.SetDeadline(-1, t0)
	p.SetDeadline(10, t0)
	if p.NumDeadlines() != 2 {
		t.Fatalf("%d deadlines after setting had or invalid pieces", p.NumDeadlines())
	}
	p.ResetDeadline(4)
	if _, ok := p.Deadline(4); ok {
		t.Fatal("ResetDeadline kept it")
	}
	p.ClearDeadlines()
	if p.NumDeadlines() != 0 {
		t.Fatal("ClearDeadlines kept some")
	}
}

// A time-critical piece not wanted (priority 0) or that the peer lacks
// is passed over.
func TestDeadlineSkipsUnwantedAndMissing(t *testing.T) {
	p := New(4, BlockSize, 4*BlockSize)
	p.PeerBitfield(1, bf(4, 0, 1, 2))
	p.SetPiecePriority(1, DontDownload)
	p.SetDeadline(1, time.Unix(1, 0))
	p.SetDeadline(3, time.Unix(2, 0))
	p.SetDeadline(2, time.Unix(3, 0))
	if pcs := pickPieces(p.Pick(1, 1)); !slices.Equal(pcs, []int{2}) {
		t.Fatalf("picked %v, want 2", pcs)
	}
	mustCheck(t, p)
}
