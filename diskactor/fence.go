package diskactor

import (
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// A fence job needs a torrent's files to itself (libtorrent's disk job
// fence): the jobs queued for the torrent before it finish first, the
// ones after it wait until it is done, and other torrents go on.
type fenceJob interface {
	job
	fence()
}

// fenceState is a torrent's fence: the job holding it and the jobs
// waiting behind it, in order.
type fenceState struct {
	job     fenceJob
	started bool
	held    []job
}

// admit decides what submit does with j: false when the torrent's fence
// holds it back (it is queued behind the fence and submitted again when
// the fence drops).
func (a *Actor) admit(ctx actor.Context, t *torrentStore, j job) bool {
	if t.fence.job != nil {
		t.fence.held = append(t.fence.held, j)
		return false
	}
	f, ok := j.(fenceJob)
	if !ok {
		return true
	}
	t.fence.job = f
	a.startFence(ctx, t)
	return false
}

// startFence runs the fence job once nothing else of its torrent is
// queued or running.
func (a *Actor) startFence(ctx actor.Context, t *torrentStore) {
	if t.fence.job == nil || t.fence.started || t.inflight > 0 {
		return
	}
	t.fence.started = true
	t.inflight++
	a.queue = append(a.queue, t.fence.job)
	a.dispatch(ctx)
}

// fenceDone drops the fence after its job finished and submits what
// waited behind it, in order (one of them may raise the next fence).
func (a *Actor) fenceDone(ctx actor.Context, t *torrentStore, j job) {
	if t.fence.job == nil || job(t.fence.job) != j {
		return
	}
	held := t.fence.held
	t.fence = fenceState{}
	for _, h := range held {
		a.submit(ctx, h)
	}
}

// moveJob, renameJob and releaseJob are the fence jobs of the facade's
// storage calls.
type (
	moveJob struct {
		ih      messages.InfoHash
		store   storage.Interface
		path    string
		flags   int
		replyTo *actor.PID
	}
	renameJob struct {
		ih      messages.InfoHash
		store   storage.Interface
		index   int
		name    string
		replyTo *actor.PID
	}
	syncJob struct {
		ih      messages.InfoHash
		store   storage.Interface
		replyTo *actor.PID
	}
	priorityJob struct {
		ih      messages.InfoHash
		store   storage.Interface
		prios   []int
		replyTo *actor.PID
	}
	releaseJob struct {
		ih      messages.InfoHash
		store   storage.Interface
		replyTo *actor.PID
	}
)

func (j *moveJob) torrent() messages.InfoHash     { return j.ih }
func (j *renameJob) torrent() messages.InfoHash   { return j.ih }
func (j *releaseJob) torrent() messages.InfoHash  { return j.ih }
func (*moveJob) fence()                           {}
func (*renameJob) fence()                         {}
func (*releaseJob) fence()                        {}
func (j *priorityJob) torrent() messages.InfoHash { return j.ih }
func (j *syncJob) torrent() messages.InfoHash     { return j.ih }
func (*syncJob) fence()                           {}
func (*priorityJob) fence()                       {}
