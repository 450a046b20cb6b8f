package diskactor

import (
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// statJob stats a torrent's files for its resume data. It is a fence job:
// every job of the torrent queued before it has finished and been answered
// (so the torrent heard of every piece written before the stat ahead of
// the stat's reply), and none runs during it. A piece the torrent does not
// have when the reply comes was written after the stat, so its file looks
// changed since: resume data never loses a piece between the two.
type statJob struct {
	ih      messages.InfoHash
	store   storage.Interface
	replyTo *actor.PID
	reply   *messages.DiskFileStatsReply
}

func (j *statJob) torrent() messages.InfoHash { return j.ih }
func (*statJob) fence()                       {}

// run is the worker's part: stat calls are I/O, never done in Receive.
func (j *statJob) run() {
	j.reply = &messages.DiskFileStatsReply{}
	j.reply.Sizes, j.reply.MTimes = j.store.FileSizes()
}

func (a *Actor) handleFileStats(ctx actor.Context, m *messages.DiskFileStats) {
	t := a.torrents[m.InfoHash]
	if t == nil || t.removing != nil {
		ctx.Respond(&messages.DiskFileStatsReply{Err: errUnknownTorrent})
		return
	}
	a.submit(ctx, &statJob{ih: t.ih, store: t.store, replyTo: ctx.Sender()})
}

func (a *Actor) finishStat(ctx actor.Context, j *statJob, d *jobDone) {
	r := j.reply
	if r == nil { // the worker failed before it could stat
		r = &messages.DiskFileStatsReply{Err: d.err}
	}
	if j.replyTo != nil {
		ctx.Send(j.replyTo, r)
	}
}
