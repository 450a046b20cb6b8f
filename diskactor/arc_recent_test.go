package diskactor

import (
	"testing"

	"github.com/actorrent/actorrent/internal/bufpool"
)

// A peer streaming a torrent through a cache with room to spare leaves at
// most recentFloor of pieces read once, the older ones on the MRU ghost
// list; pieces asked for again after their eviction move ARC's target past
// the floor, and pieces read once then get that room.
func TestARCBoundsPiecesReadOnce(t *testing.T) {
	r := newArcRig(t, 2048, 1000) // 32 MiB: cache_size's default
	floorPieces := int(recentFloor / (arcPieceBlocks * bufpool.BlockSize))
	for p := range 3 * floorPieces {
		r.fill(p)
	}
	if got := r.c.lists[arcMRU].bytes; got > recentFloor {
		t.Fatalf("MRU holds %d bytes of a stream, over the %d floor", got, recentFloor)
	}
	if s := r.sizes(); s[arcMRU] != floorPieces || s[arcMRUGhost] != 2*floorPieces {
		t.Fatalf("after streaming %d pieces: sizes %v, want %d in MRU and %d MRU ghosts", 3*floorPieces, s, floorPieces, 2*floorPieces)
	}
	for p := range 2 * floorPieces { // read again: ghost hits
		r.fill(p)
	}
	if r.c.target <= recentFloor {
		t.Fatalf("target %d after %d MRU ghost hits, not past the floor %d", r.c.target, 2*floorPieces, recentFloor)
	}
	for p := 3 * floorPieces; p < 5*floorPieces; p++ {
		r.fill(p)
	}
	if got := r.c.lists[arcMRU].bytes; got <= recentFloor {
		t.Fatalf("MRU holds %d bytes with target %d: the floor %d still bounds it", got, r.c.target, recentFloor)
	}
}
