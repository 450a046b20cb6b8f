package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// The torrent's own limits (libtorrent's set_max_uploads,
// set_max_connections, set_upload_limit, set_download_limit and their
// getters; AddTorrentParams sets them at the start). Zero or negative
// means none.

// SetMaxConnections bounds the torrent's connections (within the
// session's connections_limit); connections over a lowered bound close.
func (h TorrentHandle) SetMaxConnections(ctx context.Context, n int) error {
	return h.setLimit(ctx, messages.LimitMaxConnections, n)
}

// SetMaxUploads bounds the peers the torrent unchokes, optimistic
// unchokes included (peers of ignore_unchoke_slots classes are not
// counted).
func (h TorrentHandle) SetMaxUploads(ctx context.Context, n int) error {
	return h.setLimit(ctx, messages.LimitMaxUploads, n)
}

// MaxUploads returns the torrent's max_uploads, -1 for none (libtorrent's
// max_uploads()).
func (h TorrentHandle) MaxUploads(ctx context.Context) (int, error) {
	l, err := h.Limits(ctx)
	if err != nil {
		return 0, err
	}
	if l.MaxUploads <= 0 {
		return -1, nil
	}
	return l.MaxUploads, nil
}

// SetUploadLimit and SetDownloadLimit bound the torrent's rates, in bytes
// a second.
func (h TorrentHandle) SetUploadLimit(ctx context.Context, bytesPerSecond int) error {
	return h.setLimit(ctx, messages.LimitUpload, bytesPerSecond)
}

func (h TorrentHandle) SetDownloadLimit(ctx context.Context, bytesPerSecond int) error {
	return h.setLimit(ctx, messages.LimitDownload, bytesPerSecond)
}

func (h TorrentHandle) setLimit(ctx context.Context, l messages.TorrentLimit, v int) error {
	return h.send(ctx, &messages.SetTorrentLimit{Limit: l, Value: v})
}

// TorrentLimits are a torrent's own limits; 0 means none.
type TorrentLimits = messages.TorrentLimits

// Limits returns the torrent's own limits (libtorrent's max_uploads,
// max_connections, upload_limit, download_limit).
func (h TorrentHandle) Limits(ctx context.Context) (TorrentLimits, error) {
	r, err := h.ask(ctx, &messages.GetTorrentLimits{}, true)
	if err != nil {
		return TorrentLimits{}, err
	}
	return *r.(*messages.TorrentLimits), nil
}
