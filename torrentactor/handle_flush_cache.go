package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// flushCacheTimeout bounds the wait for the disk: the flush queues behind
// the torrent's fence (a check, a move) and writes every cached block.
const flushCacheTimeout = 5 * time.Minute

// handleFlushCache has the disk write the torrent's cached blocks out and
// close its files behind its fence, as libtorrent's flush_cache releases
// the files, then posts cache_flushed (a file_error first if that
// failed: libtorrent posts cache_flushed whatever the outcome).
func (a *Actor) handleFlushCache(ctx actor.Context) {
	done := func(err error) {
		if err != nil {
			a.post(ctx, &messages.FileErrorAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Operation: "release", Error: err})
		}
		a.post(ctx, &messages.CacheFlushedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
	}
	if a.picker == nil {
		done(nil) // no metadata yet, so no storage and nothing cached
		return
	}
	f := ctx.RequestFuture(a.cfg.Disk, &messages.DiskReleaseFiles{InfoHash: a.ih, FlushCache: true}, flushCacheTimeout)
	ctx.ReenterAfter(f, func(res any, err error) {
		if r, ok := res.(*messages.DiskReleaseFilesReply); ok && err == nil {
			err = r.Err
		}
		done(err)
	})
}
