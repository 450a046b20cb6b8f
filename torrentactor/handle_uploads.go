package torrentactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// rechoke applies the upload slots (peerSet.rechoke) to the peers.
func (a *Actor) rechoke(ctx actor.Context) {
	c := a.peers.rechoke(a.cfg.Limits.MaxUploads)
	for _, p := range c.choke {
		ctx.Send(p.pid, &messages.SetChoke{Choke: true})
	}
	for _, p := range c.unchoke {
		ctx.Send(p.pid, &messages.SetChoke{Choke: false})
	}
}
