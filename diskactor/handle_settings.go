package diskactor

import (
	"runtime"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// numWorkers is the worker pool's size: hashing_threads, or one per core
// (at least 2: one worker hashing leaves one for reads and writes).
func numWorkers(s *settings.Snapshot) int {
	if n := s.Int(settings.HashingThreads); n > 0 {
		return n
	}
	return max(2, runtime.NumCPU())
}

// resizeWorkers grows the pool to numWorkers, or shrinks it by stopping
// idle workers (busy ones are stopped as they finish: handleJobDone).
func (a *Actor) resizeWorkers(ctx actor.Context) {
	want := numWorkers(a.set)
	for len(a.workers) < want {
		pid := ctx.Spawn(a.workerProps)
		a.workers = append(a.workers, pid)
		a.idle = append(a.idle, pid)
	}
	for len(a.workers) > want && len(a.idle) > 0 {
		w := a.idle[len(a.idle)-1]
		a.idle = a.idle[:len(a.idle)-1]
		a.retireWorker(ctx, w)
	}
}

// retireWorker stops w and forgets it.
func (a *Actor) retireWorker(ctx actor.Context, w *actor.PID) {
	for i, p := range a.workers {
		if p == w {
			a.workers = append(a.workers[:i], a.workers[i+1:]...)
			break
		}
	}
	ctx.Stop(w)
}

// handleSettingsChanged applies new settings: the worker pool, the cache
// bound (a smaller one flushes and evicts at once), the file pool and the
// checking slots (a larger active_checking starts waiting checks).
func (a *Actor) handleSettingsChanged(ctx actor.Context, m *messages.SettingsChanged) {
	a.set = m.Settings
	a.resizeWorkers(ctx)
	a.files.SetMax(a.set.Int(settings.FilePoolSize))
	if limit := a.set.CacheBytes(); a.cached > limit {
		a.flushPartials(ctx, nil, limit/2)
	}
	a.rc.ghostMax = max(1, ghostPieces(a.set.CacheBytes()))
	(readCache{a}).trimReadCache()
	a.admitWaiting(ctx)
	a.dispatch(ctx)
}
