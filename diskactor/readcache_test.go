package diskactor

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
)

// A miss reads the rest of the line ahead: a peer reading the piece block
// by block hits the cache from its second request on, and no read after
// the first reaches a worker.
func TestReadCacheMissReadsAheadThenHits(t *testing.T) {
	var readJobs atomic.Int32
	before := func(j any) {
		if _, ok := j.(*readJob); ok {
			readJobs.Add(1)
		}
	}
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2, "cache_size", int((4<<20)/bufpool.BlockSize)), BeforeJob: before})
	src := t.TempDir()
	const pieceLen = 256 << 10
	pl := makePayload(t, src, "f.bin", 3*pieceLen, pieceLen, 31)
	r.seed(pl, src)
	peer, rec := r.spawnRecorder()
	n := numBlocks(pl, 1)
	for b := range n {
		r.readBlock(pl, peer, rec, 1, b)
	}
	ci := r.cacheInfo(&messages.DiskCacheInfo{InfoHash: pl.meta.InfoHash, Torrent: true})
	if readJobs := readJobs.Load(); readJobs != 1 || ci.Reads != 1 || ci.BlocksRead != int64(n) || ci.BlocksReadHit != int64(n-1) {
		t.Fatalf("%d read jobs, status %+v: want one read of %d blocks and %d hits", readJobs, ci, n, n-1)
	}
	if ci.ReadCacheSize != n || ci.ArcMRUSize != 1 || ci.ArcMFUSize != 0 {
		t.Fatalf("status %+v: want the piece's %d blocks in MRU", ci, n)
	}
	if len(ci.Pieces) != 1 || ci.Pieces[0].Kind != messages.ReadCache || ci.Pieces[0].Piece != 1 || ci.Pieces[0].NextToHash != -1 {
		t.Fatalf("pieces %+v: want piece 1 in the read cache", ci.Pieces)
	}
	if ci.AverageReadTime <= 0 || ci.CumulativeReadTime < ci.AverageReadTime {
		t.Fatalf("read timings %v / %v", ci.AverageReadTime, ci.CumulativeReadTime)
	}
	// Requests sent back to back for a piece not cached: one miss reads
	// the line, the others wait for it instead of reading again.
	for b := range n {
		r.sendRead(pl, peer, 2, b)
	}
	replies := rec.waitN(t, "piece 2", 2*n, isReadReply)
	for _, m := range replies[n:] {
		checkReply(r, pl, m.(*messages.DiskReadReply))
	}
	if ci := r.cacheInfo(&messages.DiskCacheInfo{NoPieces: true}); ci.Reads != 2 || ci.BlocksReadHit != int64(2*n-2) || ci.Pieces != nil {
		t.Fatalf("status %+v: want one more read job and every other request served without one", ci)
	}
}

// A block read twice moves its piece from MRU to MFU.
func TestReadCacheSecondReadMovesToMFU(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2, "cache_size", int((4<<20)/bufpool.BlockSize))})
	src := t.TempDir()
	pl := makePayload(t, src, "f.bin", 4*(64<<10), 64<<10, 32)
	r.seed(pl, src)
	peer, rec := r.spawnRecorder()
	r.readBlock(pl, peer, rec, 0, 0)
	q := &messages.DiskCacheInfo{NoPieces: true}
	if ci := r.cacheInfo(q); ci.ArcMRUSize != 1 || ci.ArcMFUSize != 0 {
		t.Fatalf("after one read: MRU %d MFU %d", ci.ArcMRUSize, ci.ArcMFUSize)
	}
	r.readBlock(pl, peer, rec, 0, 0)
	if ci := r.cacheInfo(q); ci.ArcMRUSize != 0 || ci.ArcMFUSize != 1 || ci.BlocksReadHit != 1 {
		t.Fatalf("after reading block 0 again: %+v, want the piece in MFU", ci)
	}
}

// Under a cache_size of one piece, reading the next piece evicts the
// first to the MRU ghost list; reading the first again is a ghost hit
// that brings it back into MFU.
func TestReadCacheEvictsToGhostUnderSmallCache(t *testing.T) {
	const pieceLen = 64 << 10 // 4 blocks
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2, "cache_size", int((pieceLen)/bufpool.BlockSize))})
	src := t.TempDir()
	pl := makePayload(t, src, "f.bin", 4*pieceLen, pieceLen, 33)
	r.seed(pl, src)
	peer, rec := r.spawnRecorder()
	q := &messages.DiskCacheInfo{NoPieces: true}
	r.readBlock(pl, peer, rec, 0, 0)
	r.readBlock(pl, peer, rec, 1, 0)
	ci := r.cacheInfo(q)
	if ci.ArcMRUSize != 1 || ci.ArcMRUGhostSize != 1 || ci.ReadCacheSize != 4 {
		t.Fatalf("status %+v: want piece 1 cached and piece 0 on the MRU ghost list", ci)
	}
	r.readBlock(pl, peer, rec, 0, 1)
	ci = r.cacheInfo(q)
	if ci.ArcMFUSize != 1 || ci.ArcMRUSize != 0 || ci.ArcMRUGhostSize != 1 || ci.ReadCacheSize > 4 {
		t.Fatalf("status %+v: want piece 0 back in MFU and piece 1 a ghost", ci)
	}
}

// A recheck forgets the read cache: the files may have changed on disk,
// and a read afterwards returns what is there now.
func TestCheckForgetsReadCache(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2, "cache_size", int((4<<20)/bufpool.BlockSize))})
	src := t.TempDir()
	pl := makePayload(t, src, "f.bin", 2*(64<<10), 64<<10, 34)
	owner := r.seed(pl, src)
	peer, rec := r.spawnRecorder()
	r.readBlock(pl, peer, rec, 0, 0)
	pl.data[5] ^= 0xff
	if err := os.WriteFile(filepath.Join(src, "f.bin"), pl.data, 0o644); err != nil {
		t.Fatal(err)
	}
	if rep := r.checkAndWait(&messages.DiskCheck{InfoHash: pl.meta.InfoHash}, owner); rep.Have[0] || !rep.Have[1] {
		t.Fatalf("recheck have %v, want piece 0 failing", rep.Have)
	}
	if ci := r.cacheInfo(&messages.DiskCacheInfo{NoPieces: true}); ci.ReadCacheSize != 0 || ci.ArcMRUSize != 0 {
		t.Fatalf("status %+v after a recheck: want an empty read cache", ci)
	}
	r.readBlock(pl, peer, rec, 0, 0) // compares with the changed bytes
}

// cache_size is one budget: with a download writing and a seed reading
// at once, the cached blocks never exceed cache_size plus one piece, and
// the counters add up afterwards.
func TestCacheBudgetHolds(t *testing.T) {
	const pieceLen = 128 << 10 // 8 blocks
	const cacheBlocks = 16
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2, "cache_size", int((cacheBlocks*bufpool.BlockSize)/bufpool.BlockSize))})
	src := t.TempDir()
	seed := makePayload(t, src, "seed.bin", 8*pieceLen, pieceLen, 35)
	r.seed(seed, src)
	down := makePayload(t, t.TempDir(), "down.bin", 8*pieceLen, pieceLen, 36)
	owner, drec := r.spawnRecorder()
	credit := &countingCredit{}
	const creditLimit = 8 * bufpool.BlockSize
	r.add(down, t.TempDir(), owner, credit, creditLimit)
	peer, prec := r.spawnRecorder()

	limit := cacheBlocks + pieceLen/bufpool.BlockSize
	q := &messages.DiskCacheInfo{NoPieces: true}
	sample := func() *messages.CacheStatus {
		ci := r.cacheInfo(q)
		if used := ci.WriteCacheSize + ci.ReadCacheSize; used > limit {
			t.Fatalf("%d blocks cached (write %d, read %d), over cache_size %d + a piece", used, ci.WriteCacheSize, ci.ReadCacheSize, cacheBlocks)
		}
		return ci
	}
	var sent int64
	requests := 0
	nb := numBlocks(down, 0)
	for p := range 8 {
		// Download piece p out of order (odd blocks, then even), paced by
		// credit as a peer would be; read two pieces of the seed between.
		order := []int{}
		for b := 1; b < nb; b += 2 {
			order = append(order, b)
		}
		for b := 0; b < nb; b += 2 {
			order = append(order, b)
		}
		for _, b := range order {
			for sent-credit.released.Load() >= creditLimit {
				sample()
			}
			r.writeBlock(down, p, b, false)
			sent += bufpool.BlockSize
			sample()
		}
		for _, sp := range []int{p, (p + 3) % 8} {
			for b := range numBlocks(seed, sp) {
				r.sendRead(seed, peer, sp, b)
				requests++
				sample()
			}
		}
	}
	for p := range 8 {
		drec.hashed(t, p)
	}
	for _, m := range prec.waitN(t, "every read", requests, isReadReply) {
		checkReply(r, seed, m.(*messages.DiskReadReply))
	}
	ci := sample()
	if ci.WriteCacheSize != 0 || ci.PinnedBlocks != 0 || ci.ArcWriteSize != 0 || ci.NumJobs != 0 {
		t.Fatalf("status %+v after everything: want an empty write cache and no jobs", ci)
	}
	if ci.BlocksReadHit+ci.Reads != int64(requests) {
		t.Fatalf("%d hits + %d read jobs for %d requests", ci.BlocksReadHit, ci.Reads, requests)
	}
	if ci.BlocksRead < ci.Reads || ci.ArcMRUGhostSize+ci.ArcMFUGhostSize == 0 {
		t.Fatalf("status %+v: want read-ahead and evictions under this budget", ci)
	}
	if ci.BlocksWritten != int64(8*nb) || credit.released.Load() != sent {
		t.Fatalf("%d blocks written, credit %d of %d back", ci.BlocksWritten, credit.released.Load(), sent)
	}
}
