package diskactor

import (
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

func (a *Actor) handleAddTorrent(ctx actor.Context, m *messages.DiskAddTorrent) {
	if old := a.torrents[m.InfoHash]; old != nil && old.removing == nil {
		return // already registered
	}
	t, err := newTorrentStore(m, a.files)
	if err != nil {
		// The torrent hears of it as a file error; its check then fails
		// (the torrent is not registered) and puts it in the error state.
		ctx.Send(m.Owner, &messages.PieceHashed{Piece: -1, Err: err, Op: "open"})
		return
	}
	a.torrents[m.InfoHash] = t
}

// handleRemoveTorrent raises the torrent's fence: its cached blocks are
// dropped, jobs already queued finish, then its files are closed (or
// deleted) and the sender gets DiskRemoveTorrentReply.
func (a *Actor) handleRemoveTorrent(ctx actor.Context, m *messages.DiskRemoveTorrent, replyTo *actor.PID) {
	t := a.torrents[m.InfoHash]
	if t == nil {
		if replyTo != nil {
			ctx.Send(replyTo, &messages.DiskRemoveTorrentReply{InfoHash: m.InfoHash})
		}
		return
	}
	t.removing = &removal{deleteFiles: m.DeleteFiles, replyTo: replyTo}
	(readCache{a}).forgetReadTorrent(t.ih)
	// A check stops here: its jobs in flight finish behind the fence, and
	// its active_checking slot goes to the next torrent in line.
	a.leaveCheckSlot(ctx, t)
	for piece, cp := range t.partial {
		// A piece being hashed or flushed lends its buffers to that job
		// (freeing them now races the worker); the job's end frees them.
		if !cp.hashing && !cp.flushing {
			a.dropPiece(t, piece)
		}
	}
	a.maybeClose(ctx, t)
}

// maybeClose runs the close job of a torrent being removed once nothing of
// it is queued or running any more.
func (a *Actor) maybeClose(ctx actor.Context, t *torrentStore) {
	if t.removing == nil || t.inflight > 0 {
		return
	}
	delete(a.torrents, t.ih)
	a.queue = append(a.queue, &closeJob{ih: t.ih, store: t.store, delete: t.removing.deleteFiles, replyTo: t.removing.replyTo})
	a.dispatch(ctx)
}

// dropPiece frees a cached piece and gives its credit back. Blocks a
// hashJob is reading are left to that job's end (finishHash).
func (a *Actor) dropPiece(t *torrentStore, piece int) {
	cp := t.partial[piece]
	if cp == nil {
		return
	}
	var freed int64
	var n int
	for i, b := range cp.blocks {
		if b != nil && (i < cp.hashLo || i >= cp.hashHi) {
			freed += int64(len(b))
			n++
			bufpool.Put(b)
			cp.blocks[i] = nil
		}
	}
	cp.bytes -= freed
	a.addCached(t, -freed, -n)
	t.releaseCredit(freed)
	cp.dropped = true
	delete(t.partial, piece)
}

func (a *Actor) handleClearPiece(m *messages.DiskClearPiece) {
	if t := a.torrents[m.InfoHash]; t != nil {
		if cp := t.partial[m.Piece]; cp != nil && !cp.hashing && !cp.flushing {
			a.dropPiece(t, m.Piece)
		}
	}
}

// handleStopping releases every cached buffer and closes the files; the
// session stops the disk actor last, after its torrents.
func (a *Actor) handleStopping() {
	for _, t := range a.torrents {
		for piece, cp := range t.partial {
			// A worker may still be hashing or flushing these buffers;
			// they are left to the garbage collector, never re-pooled.
			if !cp.hashing && !cp.flushing {
				a.dropPiece(t, piece)
			}
		}
		_ = t.store.Close()
	}
	a.rc.clear()
}
