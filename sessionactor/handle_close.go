package sessionactor

import (
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
	for _, ih := range append([]messages.InfoHash(nil), a.order...) {
		e := a.torrents[ih]
		a.forget(ih)
		a.stopping[e.pid.Id] = true
		ctx.Send(e.pid, &messages.RemoveTorrent{})
	}
	a.maybeFinishClose(ctx)
}

func (a *Actor) maybeFinishClose(ctx actor.Context) {
	if !a.closing || len(a.stopping) > 0 || a.closer == nil {
		return
	}
	ctx.Send(a.closer, &messages.Ack{})
	a.closer = nil
}
