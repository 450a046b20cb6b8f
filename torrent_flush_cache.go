package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// FlushCache writes the torrent's blocks still in the disk cache (those
// of pieces not complete yet) to its files and closes them (libtorrent's
// torrent_handle::flush_cache). It returns once the torrent has the
// request; a CacheFlushedAlert follows when the data is out, posted
// whatever the alert mask (a FileErrorAlert before it if writing or
// closing failed).
func (h TorrentHandle) FlushCache(ctx context.Context) error {
	return h.send(ctx, &messages.FlushCache{})
}
