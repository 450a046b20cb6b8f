package diskactor

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/actorrent/actorrent/messages"
)

// A job whose worker panics fails with ErrJobFailed (reported to its
// torrent), the only worker is replaced, and later jobs of that torrent and
// of others succeed.
func TestWorkerPanicFailsJobAndWorkerIsReplaced(t *testing.T) {
	var panicked atomic.Int32
	before := func(j any) {
		if h, ok := j.(*hashWriteJob); ok && h.piece == 1 && panicked.Add(1) == 1 {
			panic("injected disk fault")
		}
	}
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 1), BeforeJob: before})
	a := makePayload(t, t.TempDir(), "a.bin", 192<<10, 64<<10, 10)
	b := makePayload(t, t.TempDir(), "b.bin", 64<<10, 64<<10, 11)
	ownerA, recA := r.spawnRecorder()
	ownerB, recB := r.spawnRecorder()
	creditA := &countingCredit{}
	r.add(a, t.TempDir(), ownerA, creditA, 0)
	r.add(b, t.TempDir(), ownerB, nil, 0)

	for blk := range numBlocks(a, 1) {
		r.writeBlock(a, 1, blk, false)
	}
	h := recA.hashed(t, 1)
	if h.OK || !errors.Is(h.Err, ErrJobFailed) {
		t.Fatalf("PieceHashed after a worker panic = %+v, want !ok and ErrJobFailed", h)
	}
	if got := creditA.released.Load(); got != a.meta.Info.PieceSize(1) {
		t.Fatalf("credit released %d after the failed job, want %d", got, a.meta.Info.PieceSize(1))
	}
	// The same torrent and another one go on with the replaced worker.
	for blk := range numBlocks(a, 2) {
		r.writeBlock(a, 2, blk, false)
	}
	for blk := range numBlocks(b, 0) {
		r.writeBlock(b, 0, blk, false)
	}
	if h := recA.hashed(t, 2); !h.OK {
		t.Fatalf("torrent A after the panic: %+v", h)
	}
	if h := recB.hashed(t, 0); !h.OK {
		t.Fatalf("torrent B after the panic: %+v", h)
	}
	// The failed piece can be written again.
	for blk := range numBlocks(a, 1) {
		r.writeBlock(a, 1, blk, false)
	}
	recA.waitFor(t, "piece 1 passing on retry", func(m any) bool {
		h, ok := m.(*messages.PieceHashed)
		return ok && h.Piece == 1 && h.OK
	})
	if st := r.status(); st.QueuedJobs != 0 || st.CachedBytes != 0 {
		t.Fatalf("status %+v after all jobs", st)
	}
}
