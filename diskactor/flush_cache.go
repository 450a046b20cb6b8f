package diskactor

import (
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// flushCacheJob is the first step of DiskReleaseFiles with FlushCache
// (TorrentHandle.FlushCache): a fence the workers pass without doing
// anything. When it is done nothing of its torrent runs, so no
// incremental hash holds blocks in memory, and every cached block of the
// torrent's incomplete pieces can be written out; the release of the
// files follows those writes (finishFlushCache).
type flushCacheJob struct {
	ih      messages.InfoHash
	store   storage.Interface
	replyTo *actor.PID
}

func (j *flushCacheJob) torrent() messages.InfoHash { return j.ih }
func (*flushCacheJob) fence()                       {}
func (*flushCacheJob) FaultName() string            { return "flush_cache" }

// finishFlushCache writes the torrent's cached blocks out and releases its
// files after them. The jobs queue behind the fence this job still holds,
// in order: the release, a fence itself, starts once the writes are done.
func (a *Actor) finishFlushCache(ctx actor.Context, t *torrentStore, j *flushCacheJob) {
	if t == nil || t.removing != nil {
		ctx.Send(j.replyTo, &messages.DiskReleaseFilesReply{Err: errUnknownTorrent})
		return
	}
	a.flushPartials(ctx, t, 0)
	a.submit(ctx, &releaseJob{ih: t.ih, store: t.store, replyTo: j.replyTo})
}
