package diskactor

import (
	"bytes"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorrent/actorrent/messages"
)

// waitCache polls the cache status until ok holds (bounded).
func (r *rig) waitCache(what string, m *messages.DiskCacheInfo, ok func(*messages.CacheStatus) bool) *messages.CacheStatus {
	r.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		ci := r.cacheInfo(m)
		if ok(ci) {
			return ci
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %s: %+v", what, ci)
		}
		time.Sleep(time.Millisecond)
	}
}

func writePiece(ci *messages.CacheStatus, piece int) *messages.CachedPieceInfo {
	for i := range ci.Pieces {
		if p := &ci.Pieces[i]; p.Kind == messages.WriteCache && p.Piece == piece {
			return p
		}
	}
	return nil
}

// Blocks arriving in order are hashed as they come, in runs of at least
// hashRunMin: when the last one arrives the running hash covers all but
// the last run, the piece is written with nothing read back, and the
// cache is empty afterwards.
func TestIncrementalHashInOrderNoReadBack(t *testing.T) {
	var hashedAtCompletion, hashJobs atomic.Int32
	hashedAtCompletion.Store(-1)
	before := func(j any) {
		switch j := j.(type) {
		case *hashWriteJob:
			hashedAtCompletion.Store(int32(j.hashed))
		case *hashJob:
			hashJobs.Add(1)
		}
	}
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2), BeforeJob: before})
	const pieceLen = 512 << 10 // 32 blocks
	pl := makePayload(t, t.TempDir(), "f.bin", 2*pieceLen, pieceLen, 21)
	dst := t.TempDir()
	owner, rec := r.spawnRecorder()
	credit := &countingCredit{}
	r.add(pl, dst, owner, credit, 0)
	n := numBlocks(pl, 0)
	for b := range n - 1 {
		r.writeBlock(pl, 0, b, false)
	}
	q := &messages.DiskCacheInfo{InfoHash: pl.meta.InfoHash, Torrent: true}
	ci := r.waitCache("the running hash to cover the blocks received", q, func(ci *messages.CacheStatus) bool {
		p := writePiece(ci, 0)
		return p != nil && p.NextToHash > n-1-hashRunMin && ci.PendingJobs == 0 && ci.QueuedJobs == 0
	})
	p := writePiece(ci, 0)
	cursor := p.NextToHash
	for i, in := range p.Blocks {
		if in != (i < n-1) {
			t.Fatalf("write piece blocks %v: want the first %d in memory", p.Blocks, n-1)
		}
	}
	if ci.WriteCacheSize != n-1 || ci.ArcWriteSize != 1 || p.LastUse.IsZero() {
		t.Fatalf("cache status %+v: want %d write blocks of 1 piece", ci, n-1)
	}
	r.writeBlock(pl, 0, n-1, false)
	if h := rec.hashed(t, 0); !h.OK || h.Err != nil {
		t.Fatalf("PieceHashed = %+v", h)
	}
	if got := hashedAtCompletion.Load(); got != int32(cursor) {
		t.Fatalf("the completion started with %d blocks hashed, want %d", got, cursor)
	}
	if hashJobs.Load() == 0 {
		t.Fatal("no incremental hash job ran")
	}
	ci = r.cacheInfo(q)
	if ci.TotalReadBack != 0 || ci.WriteCacheSize != 0 || ci.PinnedBlocks != 0 || len(ci.Pieces) != 0 {
		t.Fatalf("after the piece: %+v, want no read-back and an empty cache", ci)
	}
	if ci.AverageHashTime <= 0 || ci.AverageWriteTime <= 0 || ci.CumulativeHashTime < ci.AverageHashTime ||
		ci.AverageJobTime <= 0 || ci.CumulativeJobTime < ci.CumulativeHashTime+ci.CumulativeWriteTime {
		t.Fatalf("timings %+v", ci)
	}
	if !bytes.Equal(fileRange(t, dst, pl, 0, pieceLen), pl.data[:pieceLen]) {
		t.Fatal("piece 0 on disk differs")
	}
	if got := credit.released.Load(); got != pieceLen {
		t.Fatalf("credit released %d, want %d", got, pieceLen)
	}
}

// In order, blocks written out under credit pressure are hashed on their
// way out (or kept until the running hash passed them), so a flushed
// piece completes without a read-back.
func TestInOrderFlushNeedsNoReadBack(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	const pieceLen = 512 << 10 // 32 blocks
	pl := makePayload(t, t.TempDir(), "f.bin", pieceLen, pieceLen, 22)
	dst := t.TempDir()
	owner, rec := r.spawnRecorder()
	credit := &countingCredit{}
	r.add(pl, dst, owner, credit, 128<<10) // flush from 96 KiB cached
	n := numBlocks(pl, 0)
	for b := range n - 1 {
		r.writeBlock(pl, 0, b, false)
	}
	q := &messages.DiskCacheInfo{NoPieces: true}
	r.waitCache("partial flushes", q, func(ci *messages.CacheStatus) bool {
		return ci.BlocksWritten > 0 && ci.PendingJobs == 0 && ci.QueuedJobs == 0
	})
	r.writeBlock(pl, 0, n-1, false)
	if h := rec.hashed(t, 0); !h.OK || h.Err != nil {
		t.Fatalf("PieceHashed = %+v", h)
	}
	ci := r.cacheInfo(q)
	if ci.TotalReadBack != 0 {
		t.Fatalf("%d blocks read back for a piece received in order", ci.TotalReadBack)
	}
	if ci.BlocksWritten != int64(n) || ci.Writes < 2 {
		t.Fatalf("status %+v: want %d blocks written in several writes", ci, n)
	}
	if !bytes.Equal(fileRange(t, dst, pl, 0, pieceLen), pl.data) {
		t.Fatal("piece on disk differs")
	}
	if got := credit.released.Load(); got != pieceLen {
		t.Fatalf("credit released %d, want %d", got, pieceLen)
	}
}

// Blocks flushed past a gap cannot be hashed before they go: completing
// the piece reads every one of them back, and total_read_back says so.
func TestReadBackCountedWhenForced(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	const pieceLen = 256 << 10
	pl := makePayload(t, t.TempDir(), "f.bin", pieceLen, pieceLen, 23)
	owner, rec := r.spawnRecorder()
	r.add(pl, t.TempDir(), owner, &countingCredit{}, 128<<10)
	n := numBlocks(pl, 0)
	for b := 1; b < n; b++ {
		r.writeBlock(pl, 0, b, false)
	}
	q := &messages.DiskCacheInfo{NoPieces: true}
	ci := r.waitCache("partial flushes", q, func(ci *messages.CacheStatus) bool {
		return ci.BlocksWritten > 0 && ci.PendingJobs == 0 && ci.QueuedJobs == 0
	})
	flushed := ci.BlocksWritten
	r.writeBlock(pl, 0, 0, false)
	if h := rec.hashed(t, 0); !h.OK {
		t.Fatalf("PieceHashed = %+v", h)
	}
	ci = r.cacheInfo(q)
	if ci.TotalReadBack != flushed {
		t.Fatalf("total_read_back %d, want the %d blocks flushed past the gap", ci.TotalReadBack, flushed)
	}
	if st := r.status(); st.ReadBack != ci.TotalReadBack {
		t.Fatalf("DiskStatus read-back %d, cache status %d", st.ReadBack, ci.TotalReadBack)
	}
}
