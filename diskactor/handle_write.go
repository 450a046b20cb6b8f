package diskactor

import (
	"crypto/sha1"
	"sort"
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleWrite caches a received block. When its piece is complete a worker
// hashes it and writes it; when the cache is over cache_size, partial pieces
// are written out (oldest first) so that credit flows again and no set of
// half-finished pieces can wedge the peers' readers.
func (a *Actor) handleWrite(ctx actor.Context, m *messages.DiskWrite) {
	t := a.torrents[m.InfoHash]
	n := int64(len(m.Data))
	if t == nil || t.removing != nil || m.Piece < 0 || m.Piece >= len(t.done) || t.done[m.Piece] {
		a.discard(t, m.Data)
		return
	}
	size := t.info.PieceSize(m.Piece)
	if m.Begin < 0 || m.Begin%bufpool.BlockSize != 0 || int64(m.Begin)+n > size {
		a.discard(t, m.Data)
		return
	}
	cp := t.partial[m.Piece]
	if cp == nil {
		nb := t.numBlocks(m.Piece)
		a.seq++
		cp = &cachedPiece{blocks: make([][]byte, nb), received: make([]bool, nb), flushed: make([]bool, nb), seq: a.seq}
		t.partial[m.Piece] = cp
	}
	bi := m.Begin / bufpool.BlockSize
	if cp.received[bi] || cp.hashing {
		a.discard(t, m.Data) // end-game duplicate
		return
	}
	cp.blocks[bi] = m.Data
	cp.received[bi] = true
	cp.count++
	cp.bytes += n
	cp.lastUse = time.Now()
	a.addCached(t, n, 1)
	postCached(ctx, m)
	(readCache{a}).forgetReadPiece(t.ih, m.Piece) // what is on disk of it changes
	if cp.count == len(cp.blocks) {
		a.startHash(ctx, t, m.Piece, cp)
	} else {
		a.maybeHash(ctx, t, m.Piece, cp)
	}
	a.maybeFlush(ctx, t)
}

// maybeFlush writes out partial pieces when the write cache is over
// cache_size, or t's cached bytes reach 3/4 of its credit.
func (a *Actor) maybeFlush(ctx actor.Context, t *torrentStore) {
	if limit := a.set.CacheBytes(); a.cached > limit {
		a.flushPartials(ctx, nil, limit/2)
	} else if t.creditLimit > 0 && t.cached >= t.creditLimit*3/4 {
		a.flushPartials(ctx, t, t.creditLimit/4)
	}
}

// addCached moves the write cache's counters (bytes session-wide and per
// torrent, and blocks). Write blocks have priority over the read cache in
// the cache_size budget: a growing write cache evicts read pieces first.
func (a *Actor) addCached(t *torrentStore, n int64, blocks int) {
	a.cached += n
	a.stats.writeBlocks += blocks
	if t != nil {
		t.cached += n
	}
	if n > 0 {
		(readCache{a}).trimReadCache()
	}
}

// discard drops a block nobody needs and gives its credit back.
func (a *Actor) discard(t *torrentStore, data []byte) {
	if t != nil {
		t.releaseCredit(int64(len(data)))
	}
	bufpool.Put(data)
}

// startHash queues the hash-and-write job of a complete piece, unless a
// flush of some of its blocks is still running (then finishFlush starts it).
func (a *Actor) startHash(ctx actor.Context, t *torrentStore, piece int, cp *cachedPiece) {
	if cp.flushing || cp.hashing || cp.hashBusy {
		return
	}
	cp.hashing = true
	for _, b := range cp.blocks {
		if b != nil {
			a.stats.pinned++
		}
	}
	a.submit(ctx, &hashWriteJob{
		ih:       t.ih,
		store:    t.store,
		piece:    piece,
		offset:   t.info.PieceOffset(piece),
		length:   t.info.PieceSize(piece),
		blocks:   cp.blocks,
		expected: t.info.Pieces[piece],
		h:        cp.h,
		hashed:   cp.hashed,
	})
}

func (a *Actor) finishHashWrite(ctx actor.Context, t *torrentStore, j *hashWriteJob, d *jobDone) {
	a.counters.ReadBack += int64(d.readBack)
	var freed int64
	var n int
	for _, b := range j.blocks {
		if b != nil {
			freed += int64(len(b))
			n++
			bufpool.Put(b)
		}
	}
	a.stats.pinned -= n
	if d.ok && d.err == nil {
		a.counters.BlocksWritten += int64(n)
	}
	if d.timing.write > 0 {
		a.stats.writes++
	}
	a.addCached(t, -freed, -n)
	if t == nil {
		return
	}
	t.releaseCredit(freed)
	delete(t.partial, j.piece)
	if d.ok && d.err == nil {
		t.done[j.piece] = true
	}
	if t.removing != nil {
		return
	}
	hashed := &messages.PieceHashed{Piece: j.piece, OK: d.ok && d.err == nil, Err: d.err, Path: d.path, Op: d.op}
	if hashed.OK && !t.emptyCreated && t.allDone() {
		// The last piece: create the empty files before the torrent
		// hears of it and calls itself finished.
		t.emptyCreated = true
		a.submit(ctx, &emptyFilesJob{ih: t.ih, store: t.store, then: hashed})
		return
	}
	ctx.Send(t.owner, hashed)
}

// unflushable is the range of a piece's blocks a flush leaves in memory:
// while a hashJob holds the hash, the blocks it reads and those after it
// up to the next gap, which its successor hashes (finishHash flushes them
// then, hashed on the way out). Flushing them now would cost a read-back
// each; blocks past a gap would wait for the gap and are flushed.
func unflushable(cp *cachedPiece) (lo, hi int) {
	if !cp.hashBusy {
		return 0, 0
	}
	hi = cp.hashHi
	for hi < len(cp.blocks) && cp.blocks[hi] != nil {
		hi++
	}
	return cp.hashLo, hi
}

// flushPartials writes out the blocks of incomplete pieces, oldest first,
// until the cached bytes (of only torrent only, when not nil) are down to
// target.
func (a *Actor) flushPartials(ctx actor.Context, only *torrentStore, target int64) {
	type cand struct {
		t     *torrentStore
		piece int
		cp    *cachedPiece
	}
	var cands []cand
	for _, t := range a.torrents {
		if t.removing != nil || (only != nil && t != only) {
			continue
		}
		for p, cp := range t.partial {
			if !cp.hashing && !cp.flushing && cp.bytes > 0 {
				cands = append(cands, cand{t, p, cp})
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].cp.seq < cands[j].cp.seq })
	pending := a.cached
	if only != nil {
		pending = only.cached
	}
	for _, c := range cands {
		if pending <= target {
			break
		}
		cp := c.cp
		fj := &flushJob{ih: c.t.ih, store: c.t.store, piece: c.piece, offset: c.t.info.PieceOffset(c.piece), cp: cp}
		from, n := hashRun(cp)
		keepLo, keepHi := unflushable(cp)
		for i, b := range cp.blocks {
			if b != nil && (i < keepLo || i >= keepHi) {
				fj.index = append(fj.index, i)
				fj.blocks = append(fj.blocks, b)
				cp.blocks[i] = nil
				cp.flushed[i] = true
				pending -= int64(len(b))
			}
		}
		if len(fj.blocks) == 0 {
			continue
		}
		// Blocks right after the hash cursor are hashed on their way
		// out, so that only blocks past a gap ever need a read-back.
		if n > 0 {
			if cp.h == nil {
				cp.h = sha1.New()
			}
			fj.h, fj.hashFrom, fj.hashCount = cp.h, from, n
			cp.hashBusy = true
		}
		cp.flushing = true
		a.stats.pinned += len(fj.blocks)
		a.submit(ctx, fj)
	}
}

func (a *Actor) finishFlush(ctx actor.Context, t *torrentStore, j *flushJob, d *jobDone) {
	var freed int64
	for _, b := range j.blocks {
		freed += int64(len(b))
		bufpool.Put(b)
	}
	a.stats.pinned -= len(j.blocks)
	if d.err == nil {
		a.counters.BlocksWritten += int64(len(j.blocks))
	}
	if d.timing.write > 0 {
		a.stats.writes++
	}
	a.addCached(t, -freed, -len(j.blocks))
	cp := j.cp
	cp.bytes -= freed
	cp.flushing = false
	if j.h != nil {
		cp.hashBusy = false
		if d.err == nil {
			cp.hashed = j.hashFrom + j.hashCount
		} else {
			cp.h, cp.hashed = nil, 0 // unknown state: start over
		}
	}
	if t == nil {
		return
	}
	t.releaseCredit(freed)
	if t.partial[j.piece] != cp {
		return
	}
	if t.removing != nil {
		a.dropPiece(t, j.piece) // removal skipped it while it was flushing
		return
	}
	if d.err != nil {
		// The blocks are gone: forget the piece so the torrent fetches
		// it again, and report the failure.
		a.dropPiece(t, j.piece)
		ctx.Send(t.owner, &messages.PieceHashed{Piece: j.piece, OK: false, Err: d.err, Path: d.path, Op: d.op})
		return
	}
	if cp.count == len(cp.blocks) {
		a.startHash(ctx, t, j.piece, cp)
		return
	}
	a.maybeHash(ctx, t, j.piece, cp)
}
