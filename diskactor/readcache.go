package diskactor

import (
	"slices"
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// readCache holds the disk actor's read-cache methods (a concern type: the
// actor keeps its own methods under the budget, method_budget_test.go).
type readCache struct{ *Actor }

// The read cache for seeding: an ARC of pieces read for peers (arc.go),
// in the cache_size budget that the write cache leaves free. A miss is
// read by a worker with pread, together with the blocks after it in the
// piece (read-ahead), so a peer asking for a piece block by block hits the
// cache from its second request on; requests for blocks already being
// read wait for that read instead of reading again.

// readAheadBlocks is how many blocks a miss reads, the requested one
// included: libtorrent's read_cache_line_size default (512 KiB). The
// requester's reply goes out after the first block, so a longer line costs
// it nothing; peers requesting the rest of the line wait at most for one
// job of 32 preads from the page cache (~60 µs here).
const readAheadBlocks = 32

// ghostPieces is how many keys each ARC ghost list keeps: as many pieces
// of 256 KiB as cache_size holds. A key costs ~100 bytes.
func ghostPieces(cacheSize int64) int {
	return max(8, int(cacheSize/(256<<10)))
}

// pendingRead is a read-cache miss being read: blocks [first, end) of a
// piece, and the requests for them that arrived meanwhile.
type pendingRead struct {
	job        *readJob
	first, end int
	gen        int // the torrent's checkGen when queued
	waiters    []*messages.DiskRead
	// stale is set when the piece's data may change on disk before the
	// read's blocks come back: they are served but not cached.
	stale bool
}

// readCapacity is the bytes the read cache may hold now: what cache_size
// leaves after the write cache, which has priority.
func (a readCache) readCapacity() int64 { return max(0, a.set.CacheBytes()-a.cached) }

// trimReadCache evicts read pieces until the budget holds again.
func (a readCache) trimReadCache() {
	if c := a.readCapacity(); a.rc.bytes() > c {
		a.rc.shrink(c)
	}
}

func (a readCache) pendingFor(k pieceKey, bi int) *pendingRead {
	for _, p := range a.pending[k] {
		if bi >= p.first && bi < p.end {
			return p
		}
	}
	return nil
}

// readMiss queues the read of block bi of k with read-ahead: the blocks
// after it that are neither cached nor being read, as many as the read
// cache has room for (at least the requested one, which is served even
// if it cannot be cached).
func (a readCache) readMiss(ctx actor.Context, t *torrentStore, k pieceKey, bi int, m *messages.DiskRead) {
	nb := t.numBlocks(m.Piece)
	line := int(min(readAheadBlocks, max(1, a.readCapacity()/bufpool.BlockSize)))
	end := bi + 1
	for end < nb && end-bi < line && !a.rc.has(k, end) && a.pendingFor(k, end) == nil {
		end++
	}
	off := t.info.PieceOffset(m.Piece)
	j := &readJob{ih: t.ih, store: t.store, req: m, offset: off + int64(m.Begin),
		first: bi, count: end - bi, pieceOffset: off, pieceSize: t.info.PieceSize(m.Piece)}
	a.pending[k] = append(a.pending[k], &pendingRead{job: j, first: bi, end: end, gen: t.checkGen})
	a.submit(ctx, j)
}

// finishRead serves the requests that waited for a miss's blocks and
// caches the blocks, if the piece is still had and unchanged; blocks not
// cached go back to the pool.
func (a readCache) finishRead(ctx actor.Context, t *torrentStore, j *readJob, d *jobDone) {
	a.stats.reads++
	if j.count == 0 {
		if d.err == nil {
			a.stats.blocksRead++
		}
		return
	}
	a.stats.blocksRead += int64(len(d.blocks))
	k := pieceKey{j.ih, j.req.Piece}
	p := a.takePending(k, j)
	if p == nil { // cannot happen; never leak the blocks
		p = &pendingRead{stale: true}
	}
	served := make([]bool, len(d.blocks))
	if len(served) > 0 {
		served[0] = true // the requester's, sent by the worker
	}
	var again []*messages.DiskRead
	for _, w := range p.waiters {
		i := w.Begin/bufpool.BlockSize - j.first
		if i < 0 || i >= len(d.blocks) {
			again = append(again, w) // its block was not read: try anew
			continue
		}
		a.stats.blocksReadHit++
		serveCopy(ctx, w, j.first+i, d.blocks[i])
		served[i] = true
	}
	keep := t != nil && t.removing == nil && !p.stale && p.gen == t.checkGen && t.done[k.piece]
	now := time.Now()
	for i, b := range d.blocks {
		if !keep || !a.rc.insert(k, t.numBlocks(k.piece), t.info.PieceSize(k.piece), j.first+i, b, served[i], a.readCapacity(), now) {
			bufpool.Put(b)
		}
	}
	for _, w := range again {
		a.handleRead(ctx, w)
	}
}

// takePending removes and returns j's entry among k's pending reads.
func (a readCache) takePending(k pieceKey, j *readJob) *pendingRead {
	ps := a.pending[k]
	for i, p := range ps {
		if p.job == j {
			ps = append(ps[:i], ps[i+1:]...)
			if len(ps) == 0 {
				delete(a.pending, k)
			} else {
				a.pending[k] = ps
			}
			return p
		}
	}
	return nil
}

// forgetReadPiece drops what the read cache holds of a piece whose data
// on disk is about to change (a block of it was received).
func (a readCache) forgetReadPiece(ih messages.InfoHash, piece int) {
	k := pieceKey{ih, piece}
	a.rc.remove(k)
	for _, p := range a.pending[k] {
		p.stale = true
	}
}

// forgetReadTorrent drops a torrent's read cache: it is going away, or its
// files may now hold other bytes (moved, renamed, checked again). Reads
// held behind the torrent's fence have not run yet and will read the new
// bytes: they stay cacheable.
func (a readCache) forgetReadTorrent(ih messages.InfoHash) {
	a.rc.removeTorrent(ih)
	var held []job
	if t := a.torrents[ih]; t != nil {
		held = t.fence.held
	}
	for k, ps := range a.pending {
		if k.ih != ih {
			continue
		}
		for _, p := range ps {
			if !slices.Contains(held, job(p.job)) {
				p.stale = true
			}
		}
	}
}

// handleCheckRequest forgets the torrent's read cache before a check: a
// check is asked for when the files may have changed under us.
func (a *Actor) handleCheckRequest(ctx actor.Context, m *messages.DiskCheck) {
	(readCache{a}).forgetReadTorrent(m.InfoHash)
	a.handleCheck(ctx, m)
}
