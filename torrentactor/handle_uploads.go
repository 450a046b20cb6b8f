package torrentactor

import (
	"slices"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Upload slots until the choker comes (the peer-protocol work): every
// interested peer is unchoked, at most max_uploads of them when the
// torrent has that limit, first come first served; a slot freed (a peer
// leaves or loses interest) goes to the longest waiting.

// rechoke unchokes the interested peers that fit in the slots and chokes
// the others.
func (a *Actor) rechoke(ctx actor.Context) {
	slots := a.cfg.Limits.MaxUploads
	if slots <= 0 {
		slots = int(^uint(0) >> 1)
	}
	keys := make([]messages.PeerKey, 0, len(a.peers))
	for k, p := range a.peers {
		if !p.closed && !p.leaving {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // keys grow with each connection: oldest first
	used := 0
	for _, k := range keys {
		if p := a.peers[k]; p.unchoked && p.wants {
			used++
		}
	}
	// Choke, newest first, those that lost interest or are over the slots
	// (a lowered max_uploads keeps the oldest).
	for _, k := range slices.Backward(keys) {
		p := a.peers[k]
		if p.unchoked && (!p.wants || used > slots) {
			if p.wants {
				used--
			}
			p.unchoked = false
			ctx.Send(p.pid, &messages.SetChoke{Choke: true})
		}
	}
	// Unchoke, oldest first, those waiting while slots are free.
	for _, k := range keys {
		if p := a.peers[k]; !p.unchoked && p.wants && used < slots {
			used++
			p.unchoked = true
			ctx.Send(p.pid, &messages.SetChoke{Choke: false})
		}
	}
}
