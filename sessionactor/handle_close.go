package sessionactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/queue"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleClose stops listening and removes every torrent (files kept); the
// closer gets an Ack once all torrent actors have stopped, so the disk has
// closed their files.
func (a *Actor) handleClose(ctx actor.Context, closer *actor.PID) {
	if a.closing {
		if closer != nil {
			ctx.Send(closer, &messages.Ack{})
		}
		return
	}
	a.closing = true
	a.closer = closer
	a.closeListeners(ctx)
	lsdControl{a}.close(ctx)
	portmapControl{a}.close(ctx)
	// Every torrent stops at once, in parallel; the registry and the
	// queue are dropped whole (forgetting them one by one costs n²).
	for _, ih := range a.order {
		e := a.torrents[ih]
		a.stopping[e.pid.Id] = true
		ctx.Send(e.pid, &messages.RemoveTorrent{})
	}
	a.dropRegistry()
	a.maybeFinishClose(ctx)
}

func (a *Actor) maybeFinishClose(ctx actor.Context) {
	if !a.closing || len(a.stopping) > 0 || a.closer == nil {
		return
	}
	a.utp.closeAll() // every torrent, so every peer, has stopped
	ctx.Send(a.closer, &messages.Ack{})
	a.closer = nil
}

// dropRegistry forgets every torrent at once (the session closes).
func (a *Actor) dropRegistry() {
	a.torrents = map[messages.InfoHash]*entry{}
	a.byPID = map[string]messages.InfoHash{}
	a.order = nil
	paused := a.q.SessionPaused()
	a.q = queue.New[messages.InfoHash](queueSettings(a.set))
	a.q.SetSessionPaused(time.Now(), paused)
}
