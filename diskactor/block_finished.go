package diskactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// postCached posts the block_finished alert a peer attached to its write,
// now that the block is in the cache: libtorrent posts it when the disk
// write completes, and a block of ours is written once it is cached (the
// cache flushes it, and the piece's hash vouches for it). Blocks dropped
// on arrival (duplicates, pieces already done) get none.
func postCached(ctx actor.Context, m *messages.DiskWrite) {
	if m.Cached != nil && m.AlertTo != nil {
		ctx.Send(m.AlertTo, m.Cached)
	}
}
