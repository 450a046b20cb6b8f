package diskactor

import (
	"errors"
	"fmt"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// ErrJobFailed is the error of a job whose worker panicked.
var ErrJobFailed = errors.New("diskactor: disk job failed")

func (a *Actor) handleStarted(ctx actor.Context) {
	props := a.cfg.Supervision.Configure(supervisor.KindDiskWorker, actor.PropsFromProducer(func() actor.Actor {
		return &worker{beforeJob: a.cfg.BeforeJob, writing: &a.writing, sup: a.cfg.Supervision}
	}))
	a.workerProps = props
	a.resizeWorkers(ctx)
}

// submit queues a job and counts it against its torrent's fence; a job
// behind a raised fence waits for it (fence.go).
func (a *Actor) submit(ctx actor.Context, j job) {
	if t := a.torrents[j.torrent()]; t != nil {
		if !a.admit(ctx, t, j) {
			return
		}
		t.inflight++
	}
	a.queue = append(a.queue, j)
	a.dispatch(ctx)
}

// dispatch hands queued jobs to idle workers, oldest first.
func (a *Actor) dispatch(ctx actor.Context) {
	for len(a.queue) > 0 && len(a.idle) > 0 {
		j := a.queue[0]
		a.queue[0] = nil
		a.queue = a.queue[1:]
		w := a.idle[len(a.idle)-1]
		a.idle = a.idle[:len(a.idle)-1]
		a.running[w] = j
		ctx.Send(w, j)
	}
	a.stats.queued(len(a.queue)) // what waits for a worker
}

func (a *Actor) handleJobDone(ctx actor.Context, d *jobDone) {
	if _, ok := a.running[d.worker]; ok {
		delete(a.running, d.worker)
		a.idle = append(a.idle, d.worker)
		if len(a.workers) > numWorkers(a.set) {
			a.resizeWorkers(ctx) // hashing_threads went down
		}
	}
	a.finishJob(ctx, d)
	a.dispatch(ctx)
}

// handleWorkerFailed fails the job of a worker that panicked. The worker
// itself was already restarted by its supervisor strategy.
func (a *Actor) handleWorkerFailed(ctx actor.Context, m *messages.ChildFailed) {
	j, ok := a.running[m.Child]
	if !ok {
		return
	}
	delete(a.running, m.Child)
	a.idle = append(a.idle, m.Child)
	a.finishJob(ctx, &jobDone{worker: m.Child, job: j, op: "job",
		err: fmt.Errorf("%w: %s", ErrJobFailed, m.Reason)})
	a.dispatch(ctx)
}

// finishJob applies a job's result. It is the only place job results
// change the disk actor's state.
func (a *Actor) finishJob(ctx actor.Context, d *jobDone) {
	t := a.torrents[d.job.torrent()]
	if t != nil {
		t.inflight--
	}
	a.stats.record(d.timing)
	switch j := d.job.(type) {
	case *hashWriteJob:
		a.finishHashWrite(ctx, t, j, d)
	case *hashJob:
		a.finishHash(ctx, t, j, d)
	case *flushJob:
		a.finishFlush(ctx, t, j, d)
	case *flushCacheJob:
		a.finishFlushCache(ctx, t, j)
	case *readJob:
		a.counters.BlocksRead++
		if d.err != nil && t != nil && d.job != nil {
			// The worker replied unless it panicked; make sure the peer
			// hears of the failure either way.
			if d.path == "" {
				ctx.Send(j.req.ReplyTo, &messages.DiskReadReply{Piece: j.req.Piece, Begin: j.req.Begin, Err: d.err})
			}
			a.postFileError(ctx, t, d)
		}
		(readCache{a}).finishRead(ctx, t, j, d)
	case *checkJob:
		a.finishCheck(ctx, t, j, d)
	case *verifyJob:
		finishVerify(ctx, j, d)
	case *closeJob:
		if j.replyTo != nil {
			ctx.Send(j.replyTo, &messages.DiskRemoveTorrentReply{InfoHash: j.ih, Err: d.err})
		}
	case *statJob:
		a.finishStat(ctx, j, d)
	case *moveJob:
		// A move that kept files already at the destination may now
		// read other bytes: forget what the read cache holds.
		(readCache{a}).forgetReadTorrent(j.ih)
		ctx.Send(j.replyTo, &messages.DiskMoveStorageReply{SavePath: j.store.SavePath(), Err: d.err})
	case *renameJob:
		(readCache{a}).forgetReadTorrent(j.ih)
		ctx.Send(j.replyTo, &messages.DiskRenameFileReply{Index: j.index, Name: j.name, Err: d.err})
	case *releaseJob:
		ctx.Send(j.replyTo, &messages.DiskReleaseFilesReply{Err: d.err})
	case *syncJob:
		ctx.Send(j.replyTo, &messages.DiskFlushReply{Err: d.err})
	case *priorityJob:
		if j.replyTo != nil {
			ctx.Send(j.replyTo, &messages.DiskSetFilePrioritiesReply{Err: d.err})
		}
	case *emptyFilesJob:
		if t != nil && t.removing == nil {
			if d.err != nil {
				a.postFileError(ctx, t, d)
			}
			ctx.Send(t.owner, j.then)
		}
	}
	if t != nil {
		a.fenceDone(ctx, t, d.job)
		a.startFence(ctx, t)
		a.maybeClose(ctx, t)
	}
}

// postFileError tells the owning torrent about a failed file operation; the
// torrent turns it into a file_error alert.
func (a *Actor) postFileError(ctx actor.Context, t *torrentStore, d *jobDone) {
	ctx.Send(t.owner, &messages.PieceHashed{Piece: -1, Err: d.err, Path: d.path, Op: d.op})
}

func (a *Actor) handleStatus(ctx actor.Context) {
	r := a.counters
	r.CachedBytes = a.cached
	r.QueuedJobs = len(a.queue)
	r.Workers = len(a.workers)
	r.OpenFiles = a.files.Open()
	ctx.Respond(&r)
}
