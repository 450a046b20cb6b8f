package torrentactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// The torrent's own limits (AddTorrentParams' max_uploads,
// max_connections, upload_limit and download_limit, and their setters):
// max_connections bounds its connections under the session's
// connections_limit.

func (a *Actor) handleSetTorrentLimit(ctx actor.Context, m *messages.SetTorrentLimit) {
	v := max(m.Value, 0) // libtorrent's -1 and 0 both mean none
	l := &a.cfg.Limits
	switch m.Limit {
	case messages.LimitMaxUploads:
		l.MaxUploads = v
		choking{a}.triggerRechoke(ctx)
	case messages.LimitMaxConnections:
		l.MaxConnections = v
		a.closeExcessPeers(ctx)
	case messages.LimitUpload:
		l.UploadLimit = v
		rateLimits{a}.syncRates()
	case messages.LimitDownload:
		l.DownloadLimit = v
		rateLimits{a}.syncRates()
	}
	a.resume.needSave = true
}

// closeExcessPeers disconnects connections over a lowered
// max_connections, the newest first.
func (a *Actor) closeExcessPeers(ctx actor.Context) {
	for _, p := range a.peers.excess(a.maxPeers()) {
		ctx.Send(p.pid, &messages.Disconnect{})
	}
}

// orNone writes a limit as libtorrent's resume data does: -1 for none.
func orNone(v int) int {
	if v <= 0 {
		return -1
	}
	return v
}
