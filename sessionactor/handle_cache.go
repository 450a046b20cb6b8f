package sessionactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleCacheInfo forwards get_cache_info to the disk actor, which owns
// the cache and answers the facade directly. A torrent the session does
// not know is answered here: its handle is invalid.
func (a *Actor) handleCacheInfo(ctx actor.Context, m *messages.DiskCacheInfo) {
	if _, ok := a.torrents[m.InfoHash]; m.Torrent && !ok {
		ctx.Respond(&messages.TorrentNotFound{InfoHash: m.InfoHash})
		return
	}
	ctx.Forward(a.disk)
}
