package diskactor

import (
	"sort"

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
	a.addCached(t, n)
	if cp.count == len(cp.blocks) {
		a.startHash(ctx, t, m.Piece, cp)
	}
	if a.cached > a.cfg.CacheSize {
		a.flushPartials(ctx, nil, a.cfg.CacheSize/2)
	} else if t.creditLimit > 0 && t.cached >= t.creditLimit*3/4 {
		a.flushPartials(ctx, t, t.creditLimit/4)
	}
}

// addCached moves the cache counters, session-wide and per torrent.
func (a *Actor) addCached(t *torrentStore, n int64) {
	a.cached += n
	if t != nil {
		t.cached += n
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
	if cp.flushing || cp.hashing {
		return
	}
	cp.hashing = true
	a.submit(ctx, &hashWriteJob{
		ih:       t.ih,
		store:    t.store,
		piece:    piece,
		offset:   t.info.PieceOffset(piece),
		length:   t.info.PieceSize(piece),
		blocks:   cp.blocks,
		expected: t.info.Pieces[piece],
	})
}

func (a *Actor) finishHashWrite(ctx actor.Context, t *torrentStore, j *hashWriteJob, d *jobDone) {
	a.counters.ReadBack += int64(d.readBack)
	var freed int64
	for _, b := range j.blocks {
		if b != nil {
			freed += int64(len(b))
			bufpool.Put(b)
		}
	}
	a.counters.BlocksWritten += int64(len(j.blocks))
	a.addCached(t, -freed)
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
		fj := &flushJob{ih: c.t.ih, store: c.t.store, piece: c.piece, offset: c.t.info.PieceOffset(c.piece)}
		for i, b := range c.cp.blocks {
			if b != nil {
				fj.index = append(fj.index, i)
				fj.blocks = append(fj.blocks, b)
				c.cp.blocks[i] = nil
				c.cp.flushed[i] = true
			}
		}
		c.cp.flushing = true
		pending -= c.cp.bytes
		a.submit(ctx, fj)
	}
}

func (a *Actor) finishFlush(ctx actor.Context, t *torrentStore, j *flushJob, d *jobDone) {
	var freed int64
	for _, b := range j.blocks {
		freed += int64(len(b))
		bufpool.Put(b)
	}
	a.counters.BlocksWritten += int64(len(j.blocks))
	a.addCached(t, -freed)
	if t == nil {
		return
	}
	t.releaseCredit(freed)
	cp := t.partial[j.piece]
	if cp == nil {
		return
	}
	cp.bytes -= freed
	cp.flushing = false
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
	}
}
