package torrentactor

import (
	"net"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
)

// rateLimits are the torrent's upload and download channels and the peer classes' connection
// factors. A view of the actor, not a part of it: the state stays in the actor (1000 of its size
// class's 1024 bytes), the type names the concern's methods.
type rateLimits struct{ *Actor }

// The torrent's rate limits (upload_limit and download_limit, from
// AddTorrentParams, resume data or the handle's setters) are two channels
// of the session's rate-limit gate that every peer of the torrent draws
// from besides its classes'. libtorrent gives a limited torrent a peer
// class of its own; plain channels do the same without taking one of the
// 32 class ids.

// syncRates sets the channels' limits to the torrent's, through the gate,
// which may be reading them. The channels are made when the first peer
// needs them (ensureRates): a torrent that never had one has none.
func (a rateLimits) syncRates() {
	for d, limit := range []int{ratelimit.Upload: a.cfg.Limits.UploadLimit, ratelimit.Download: a.cfg.Limits.DownloadLimit} {
		switch {
		case a.rates[d] == nil:
			// ensureRates starts it from the torrent's limit
		case a.cfg.Bandwidth != nil:
			a.cfg.Bandwidth.SetLimit(a.rates[d], int64(limit))
		default:
			a.rates[d].SetLimit(int64(limit), time.Now()) // no gate: nobody reads it
		}
	}
}

// ensureRates makes the torrent's channels, with its limits, if it has
// none yet.
func (a rateLimits) ensureRates() {
	for d, limit := range []int{ratelimit.Upload: a.cfg.Limits.UploadLimit, ratelimit.Download: a.cfg.Limits.DownloadLimit} {
		if a.rates[d] == nil {
			a.rates[d] = ratelimit.NewChannel(int64(limit))
		}
	}
}

// connectionFactor is the connection_limit_factor of an incoming
// connection's classes (100 without a gate, or for an outgoing one: as in
// libtorrent, only incoming connections get the factor); utp: conn is a
// uTP connection (the class type filter's socket type).
func (a rateLimits) connectionFactor(conn net.Conn, utp bool) int {
	gate := a.cfg.Bandwidth
	if gate == nil || conn == nil {
		return 100
	}
	var addr netip.Addr
	if ap, err := netip.ParseAddrPort(conn.RemoteAddr().String()); err == nil {
		addr = ap.Addr()
	}
	return gate.ConnectionLimitFactor(gate.ClassMask(addr, socketType(&peerInfo{utp: utp})))
}

// maxIncomingPeers is maxPeers for an incoming connection whose classes
// have connection_limit_factor factor: connections_limit scaled by it
// (the local class's 150 lets LAN peers in past the limit), then the
// torrent's own max_connections, which no class changes.
func (a rateLimits) maxIncomingPeers(factor int) int {
	n := a.set.Int(settings.ConnectionsLimit)
	if n < 0 {
		n = int(^uint(0) >> 1)
	} else {
		n = ratelimit.ConnectionLimit(n, factor)
	}
	if own := a.cfg.Limits.MaxConnections; own > 0 {
		n = min(n, own)
	}
	return n
}
