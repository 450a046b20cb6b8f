package torrentactor

import (
	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/torrentactor/announcer"
	"github.com/asynkron/protoactor-go/actor"
)

// peerListConfig is the peer list's part of the settings.
func peerListConfig(s *settings.Snapshot) peerlist.Config {
	return peerlist.Config{
		MaxSize:      s.Int(settings.MaxPeerlistSize),
		MaxFailcount: s.Int(settings.MaxFailcount),
		MinReconnect: s.Seconds(settings.MinReconnectTime),
		// Ban by IP: one connection per remote IP unless allowed.
		MultipleConnectionsPerIP: s.Bool(settings.AllowMultipleConnectionsPerIP),
	}
}

// maxPeers bounds the torrent's connections: its own max_connections
// within connections_limit (the session's slots bound all torrents
// together as well).
func (a *Actor) maxPeers() int {
	n := a.set.Int(settings.ConnectionsLimit)
	if n < 0 {
		n = int(^uint(0) >> 1)
	}
	if own := a.cfg.Limits.MaxConnections; own > 0 {
		n = min(n, own)
	}
	return n
}

// handleSettingsChanged takes the session's new settings: the peer list's
// bounds, the announcer's settings, and the peers' (timeouts, client
// name). The session-wide credit and connection budget are the session's
// to change.
func (a *Actor) handleSettingsChanged(ctx actor.Context, m *messages.SettingsChanged) {
	old := a.set
	a.set = m.Settings
	if peerListConfig(old) != peerListConfig(a.set) {
		a.plist.SetConfig(peerListConfig(a.set))
	}
	if a.trk.pid != nil {
		o, n := announcer.TrackerConfig{}.WithSettings(old), TrackerConfig{}.WithSettings(a.set)
		if o.List != n.List || o.NumWant != n.NumWant || o.CompletionTimeout != n.CompletionTimeout || o.StopTimeout != n.StopTimeout {
			ctx.Send(a.trk.pid, m)
		}
	}
	filters{a}.syncTrackerFilter(ctx, false) // apply_ip_filter_to_trackers
	if a.picker != nil {
		a.picker.SetPolicy(pickPolicy(a.set))
	}
	for p := range a.peers.all() {
		ctx.Send(p.pid, m)
	}
	choking{a}.chokeSettingsChanged(ctx, old)
	peerList{a}.connectMore(ctx)
}
