package diskactor

import (
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
)

// arcRig drives an arc directly: pieces of 4 blocks, capacity in blocks.
type arcRig struct {
	t   *testing.T
	c   *arc
	cap int64
}

const arcPieceBlocks = 4

func newArcRig(t *testing.T, capBlocks, ghosts int) *arcRig {
	return &arcRig{t: t, c: newARC(ghosts), cap: int64(capBlocks) * bufpool.BlockSize}
}

func key(p int) pieceKey { return pieceKey{piece: p} }

// fill caches every block of piece p as a read-ahead would (block 0 served).
func (r *arcRig) fill(p int) {
	for b := range arcPieceBlocks {
		buf := bufpool.Get(bufpool.BlockSize)
		if !r.c.insert(key(p), arcPieceBlocks, arcPieceBlocks*bufpool.BlockSize, b, buf, b == 0, r.cap, time.Now()) {
			bufpool.Put(buf)
		}
	}
	r.check()
}

// check asserts the arc's books: list byte totals, the block count and
// the capacity.
func (r *arcRig) check() {
	r.t.Helper()
	var blocks int
	for l := range numArcLists {
		var bytes int64
		n := 0
		for e := r.c.lists[l].head; e != nil; e = e.next {
			if e.list != l {
				r.t.Fatalf("piece %d on list %d says %d", e.key.piece, l, e.list)
			}
			bytes += e.bytes
			blocks += e.held
			n++
		}
		if n != r.c.lists[l].n || bytes != r.c.lists[l].bytes {
			r.t.Fatalf("list %d: %d pieces %d bytes, books say %d and %d", l, n, bytes, r.c.lists[l].n, r.c.lists[l].bytes)
		}
		if l.ghost() && (bytes != 0 || n > r.c.ghostMax) {
			r.t.Fatalf("ghost list %d holds %d bytes, %d keys", l, bytes, n)
		}
	}
	if blocks != r.c.blocks || r.c.bytes() > r.cap {
		r.t.Fatalf("%d blocks (books %d), %d bytes over capacity %d", blocks, r.c.blocks, r.c.bytes(), r.cap)
	}
}

func (r *arcRig) sizes() [numArcLists]int {
	var s [numArcLists]int
	for l := range numArcLists {
		s[l] = r.c.size(l)
	}
	return s
}

// A block served once and asked for again promotes its piece to MFU; the
// first uses of read-ahead blocks do not.
func TestARCSecondReadPromotes(t *testing.T) {
	r := newArcRig(t, 16, 8)
	r.fill(0)
	for b := 1; b < arcPieceBlocks; b++ {
		if r.c.get(key(0), b, time.Now()) == nil {
			t.Fatalf("block %d not cached", b)
		}
	}
	if s := r.sizes(); s[arcMRU] != 1 || s[arcMFU] != 0 {
		t.Fatalf("after a sequential read: sizes %v, want the piece in MRU", s)
	}
	r.c.get(key(0), 2, time.Now())
	if s := r.sizes(); s[arcMRU] != 0 || s[arcMFU] != 1 {
		t.Fatalf("after a block read twice: sizes %v, want the piece in MFU", s)
	}
	r.check()
}

// Eviction makes room in the capacity and leaves the key on the ghost
// list of the list it left; a miss on a ghost brings the piece back into
// MFU and moves the MRU target.
func TestARCEvictsToGhostsAndAdapts(t *testing.T) {
	r := newArcRig(t, 2*arcPieceBlocks, 8) // two pieces
	r.fill(0)
	r.fill(1)
	r.c.get(key(1), 0, time.Now()) // re-read: piece 1 to MFU
	r.fill(2)                      // evicts piece 0 (MRU, over target 0)
	if s := r.sizes(); s[arcMRU] != 1 || s[arcMFU] != 1 || s[arcMRUGhost] != 1 {
		t.Fatalf("sizes %v: want MRU {2}, MFU {1}, MRU ghost {0}", s)
	}
	if r.c.has(key(0), 0) {
		t.Fatal("an evicted piece still has blocks")
	}
	before := r.c.target
	r.fill(0) // ghost hit
	if r.c.target <= before {
		t.Fatalf("target %d after an MRU ghost hit, was %d", r.c.target, before)
	}
	if e := r.c.entries[key(0)]; e == nil || e.list != arcMFU || e.held != arcPieceBlocks {
		t.Fatalf("piece 0 back from the ghost list: %+v", e)
	}
	r.check()
	// Ghost lists are bounded.
	for p := 3; p < 30; p++ {
		r.fill(p)
	}
	if s := r.sizes(); s[arcMRUGhost] > 8 || s[arcMFUGhost] > 8 {
		t.Fatalf("ghost lists grew past their bound: %v", s)
	}
}

// shrink gives the write cache its room; remove forgets a piece whose
// data changes; a piece bigger than the capacity is cached in part only.
func TestARCShrinkRemoveAndOversize(t *testing.T) {
	r := newArcRig(t, 8, 8)
	r.fill(0)
	r.fill(1)
	r.cap = 3 * bufpool.BlockSize
	r.c.shrink(r.cap)
	r.check()
	if r.c.blocks > 3 {
		t.Fatalf("%d blocks after shrinking to 3", r.c.blocks)
	}
	r.fill(5) // 4 blocks into room for 3
	if e := r.c.entries[key(5)]; e == nil || e.held != 3 {
		t.Fatalf("oversize piece: %+v, want 3 of its blocks", e)
	}
	r.c.remove(key(5))
	if _, ok := r.c.entries[key(5)]; ok || r.c.blocks != 0 {
		t.Fatalf("remove left %d blocks", r.c.blocks)
	}
	r.check()
	r.fill(6)
	r.c.clear()
	if r.c.blocks != 0 || len(r.c.entries) != 0 {
		t.Fatal("clear left pieces")
	}
}
