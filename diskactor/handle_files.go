package diskactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// The storage calls of the facade (move, rename, release) run as fence
// jobs: whatever the torrent queued before finishes first, what comes
// after waits, and the reply goes to the sender.

func (a *Actor) handleMoveStorage(ctx actor.Context, m *messages.DiskMoveStorage) {
	t := a.torrents[m.InfoHash]
	if t == nil || t.removing != nil {
		ctx.Respond(&messages.DiskMoveStorageReply{Err: errUnknownTorrent})
		return
	}
	a.submit(ctx, &moveJob{ih: t.ih, store: t.store, path: m.SavePath, flags: m.Flags, replyTo: ctx.Sender()})
}

func (a *Actor) handleRenameFile(ctx actor.Context, m *messages.DiskRenameFile) {
	t := a.torrents[m.InfoHash]
	if t == nil || t.removing != nil {
		ctx.Respond(&messages.DiskRenameFileReply{Index: m.Index, Name: m.Name, Err: errUnknownTorrent})
		return
	}
	a.submit(ctx, &renameJob{ih: t.ih, store: t.store, index: m.Index, name: m.Name, replyTo: ctx.Sender()})
}

func (a *Actor) handleReleaseFiles(ctx actor.Context, m *messages.DiskReleaseFiles) {
	t := a.torrents[m.InfoHash]
	if t == nil || t.removing != nil {
		ctx.Respond(&messages.DiskReleaseFilesReply{Err: errUnknownTorrent})
		return
	}
	if m.FlushCache {
		a.submit(ctx, &flushCacheJob{ih: t.ih, store: t.store, replyTo: ctx.Sender()})
		return
	}
	a.submit(ctx, &releaseJob{ih: t.ih, store: t.store, replyTo: ctx.Sender()})
}

// handleClearCache drops the cached blocks of the torrent's incomplete
// pieces (those being hashed or flushed finish on their own).
func (a *Actor) handleClearCache(ctx actor.Context, m *messages.DiskClearCache) {
	var dropped []int
	if t := a.torrents[m.InfoHash]; t != nil {
		for piece, cp := range t.partial {
			if !cp.hashing && !cp.flushing {
				a.dropPiece(t, piece)
				dropped = append(dropped, piece)
			}
		}
	}
	ctx.Respond(&messages.DiskClearCacheReply{Pieces: dropped})
}

func (a *Actor) handleSetFilePriorities(ctx actor.Context, m *messages.DiskSetFilePriorities) {
	t := a.torrents[m.InfoHash]
	if t == nil || t.removing != nil {
		ctx.Respond(&messages.DiskSetFilePrioritiesReply{Err: errUnknownTorrent})
		return
	}
	a.submit(ctx, &priorityJob{ih: t.ih, store: t.store, prios: m.Priorities, replyTo: ctx.Sender()})
}

func (a *Actor) handleFlush(ctx actor.Context, m *messages.DiskFlush) {
	t := a.torrents[m.InfoHash]
	if t == nil || t.removing != nil {
		ctx.Respond(&messages.DiskFlushReply{Err: errUnknownTorrent})
		return
	}
	a.submit(ctx, &syncJob{ih: t.ih, store: t.store, replyTo: ctx.Sender()})
}
