package diskactor

import (
	"crypto/sha1"
	"hash"
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Incremental hashing. Each piece in the write cache has a running SHA-1
// over its blocks [0, hashed). When blocks arrive in order the disk actor
// hands the contiguous run after the cursor to a worker (a hashJob), so
// that by the time the last block arrives only that block is left to hash
// and nothing has to be read back, even if the piece's prefix was written
// out under cache pressure meanwhile.
//
// Why a worker and not Receive: SHA-1 of a 16 KiB block takes ~8.7 µs on
// the bench machine (SHA-NI), 50 times a Send; hashing in Receive at
// 100 MiB/s would take over half a core of the one actor every torrent's
// reads and writes go through. Order is kept by construction: a piece has
// at most one job holding its hash at a time (hashBusy), and each job
// starts where the last one stopped. Blocks that arrive while a job runs
// wait for it and go out together in the next job.

// hashRunMin is the shortest run worth a job of its own. A job costs far
// more than its two messages when it wakes an idle worker: measured with
// BenchmarkDownloadWrites (one piece at a time, in order, 2 cores), a job
// per block took 2.1-3.0 CPU-s per GiB against 1.0-1.2 for hashing whole
// pieces at completion; runs of 4 blocks 1.0-1.2, of 8 1.02-1.06, of 16
// 1.06-1.24. Eight blocks (128 KiB, ~70 µs of hashing) keep the cost of
// hashing at completion, and leave at most 8 blocks to hash when the last
// one arrives instead of the whole piece. A flush hashes whatever run it
// finds (hashRun), however short: there the alternative is a read-back.
const hashRunMin = 8

// hashJob advances a piece's running hash over blocks that arrived in
// order. The blocks stay in the cache (they are written with the rest of
// the piece); the job only reads them.
type hashJob struct {
	ih     messages.InfoHash
	piece  int
	h      hash.Hash
	blocks [][]byte
	cp     *cachedPiece // the disk actor's; the worker never touches it
}

func (j *hashJob) torrent() messages.InfoHash { return j.ih }

func (w *worker) hashBlocks(j *hashJob, done *jobDone) {
	t0 := time.Now()
	for _, b := range j.blocks {
		j.h.Write(b)
	}
	done.timing.hash = time.Since(t0)
	done.ok = true
}

// maybeHash starts a hashJob for the run of received blocks after the
// piece's hash cursor, unless a job holds the hash already or the piece is
// complete (its hashWriteJob finishes the hash).
func (a *Actor) maybeHash(ctx actor.Context, t *torrentStore, piece int, cp *cachedPiece) {
	if cp.hashBusy || cp.hashing || cp.count == len(cp.blocks) {
		return
	}
	end := cp.hashed
	for end < len(cp.blocks) && cp.blocks[end] != nil {
		end++
	}
	if end-cp.hashed < hashRunMin {
		return
	}
	if cp.h == nil {
		cp.h = sha1.New()
	}
	cp.hashBusy = true
	cp.hashLo, cp.hashHi = cp.hashed, end
	a.stats.pinned += end - cp.hashed
	a.submit(ctx, &hashJob{ih: t.ih, piece: piece, h: cp.h, cp: cp,
		blocks: append([][]byte(nil), cp.blocks[cp.hashed:end]...)})
}

// finishHash moves the piece's cursor past the job's blocks, then starts
// the piece's completion or its next run. A failed job (its worker
// panicked) leaves the hash in an unknown state: it is dropped and the
// completion hashes the piece from the start.
func (a *Actor) finishHash(ctx actor.Context, t *torrentStore, j *hashJob, d *jobDone) {
	cp := j.cp
	a.stats.pinned -= len(j.blocks)
	cp.hashBusy = false
	lo, hi := cp.hashLo, cp.hashHi
	cp.hashLo, cp.hashHi = 0, 0
	if d.err != nil {
		cp.h, cp.hashed = nil, 0
	} else {
		cp.hashed = hi
	}
	if cp.dropped {
		// Dropped while this job read its blocks: free them now.
		var freed int64
		var n int
		for i := lo; i < hi; i++ {
			if b := cp.blocks[i]; b != nil {
				freed += int64(len(b))
				n++
				bufpool.Put(b)
				cp.blocks[i] = nil
			}
		}
		cp.bytes -= freed
		a.addCached(t, -freed, -n)
		if t != nil {
			t.releaseCredit(freed)
		}
		return
	}
	if t == nil || t.partial[j.piece] != cp {
		return
	}
	if t.removing != nil {
		a.dropPiece(t, j.piece)
		return
	}
	if cp.count == len(cp.blocks) {
		a.startHash(ctx, t, j.piece, cp)
		return
	}
	// A flush may have left this piece's unhashed run in memory for us
	// (unflushable); with the hash free it can go now, hashed on its way
	// out. Nothing else would start it if the torrent is out of credit.
	a.maybeFlush(ctx, t)
	a.maybeHash(ctx, t, j.piece, cp)
}

// hashRun is the run of blocks a flush of cp can hash on its way out: the
// blocks in memory right after the cursor, when no job holds the hash.
func hashRun(cp *cachedPiece) (from, count int) {
	if cp.hashBusy || cp.hashing {
		return 0, 0
	}
	end := cp.hashed
	for end < len(cp.blocks) && cp.blocks[end] != nil {
		end++
	}
	return cp.hashed, end - cp.hashed
}
