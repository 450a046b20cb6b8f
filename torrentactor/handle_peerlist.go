package torrentactor

import (
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// peerList is the torrent's memory of peers (internal/peerlist): what fills it and what it
// connects to. A view of the actor, not a part of it: the state stays in the actor (1000 of its
// size class's 1024 bytes), the type names the concern's methods.
type peerList struct{ *Actor }

// The peer list (internal/peerlist) is the torrent's memory of peers:
// trackers, resume data, incoming connections and ConnectPeer fill it, and
// connectMore draws on it whenever there is room for a connection — every
// tick while there are candidates (handle_tick.go), when peers arrive and
// when a connection ends. So a torrent at its
// connection limit keeps what trackers gave it for later, and a peer that
// went away is tried again after min_reconnect_time × its fail count.

// parseAddrPort reads a peer address as the list keys it.
func parseAddrPort(s string) (netip.AddrPort, bool) {
	ap, err := netip.ParseAddrPort(s)
	return ap, err == nil
}

// connectMore opens connections to candidates from the list while the
// torrent is under its connection limit, at most connection_speed a tick.
// A finished torrent leaves seeds out: they have nothing for it.
func (a peerList) connectMore(ctx actor.Context) { a.connect(ctx, 0) }

// connect is connectMore with up to boost attempts that do not wait for
// connection_speed (torrent_connect_boost, internal/peerlist/boost.go):
// they are charged to the session's allowance afterwards.
func (a peerList) connect(ctx actor.Context, boost int) {
	if !(ticker{a.Actor}).canConnectOut() {
		return
	}
	now := time.Now()
	want := min(a.maxPeers()-a.peers.len(), a.cfg.Connections.Free(), a.plist.ConnectCandidates(now, a.life.finished))
	boost = max(min(boost, want), 0)
	everyN := a.set.Int(settings.ConnectSeedEveryNDownload)
	n := a.budget.TakeFor(now, smoothConnects(a.set, want-boost, min(a.cfg.Connections.Free(), a.maxPeers()-a.peers.len())),
		a.life.finished, everyN)
	cands := a.plist.Candidates(now, boost+n, a.life.finished)
	boosted := min(boost, len(cands))
	a.plist.UseBoost(boosted)
	a.budget.Give(n - (len(cands) - boosted))
	a.budget.Charge(boosted)
	a.budget.Attempted(len(cands)-boosted, a.life.finished, everyN)
	for _, ap := range cands {
		if !a.spawnPeer(ctx, utpPeers{a.Actor}.outgoing(ap.String())) {
			// Another torrent took the last slot: not an attempt.
			a.plist.Closed(ap, false)
		}
	}
}

// smoothConnects is what connection_speed may give a round of attempts
// (a torrent's tick, a tracker's reply, a closed connection): with
// smooth_connects, no more than half the free connection slots (free,
// rounded up), as libtorrent's tick, so that a burst of attempts does not
// take every slot and leave the next seconds with none.
func smoothConnects(s *settings.Snapshot, want, free int) int {
	if s.Bool(settings.SmoothConnects) {
		want = min(want, free/2+free%2)
	}
	return want
}

// addPeers puts peers from src in the list and connects what there is
// room for.
func (a peerList) addPeers(ctx actor.Context, src peerlist.Source, peers []netip.AddrPort) {
	for _, p := range peers {
		if !(filters{a.Actor}).refusePeer(ctx, p, true) {
			a.plist.Add(p, src)
		}
	}
	if src == peerlist.FromTracker {
		a.connect(ctx, a.plist.Boost()) // a tracker's reply: torrent_connect_boost
		return
	}
	a.connectMore(ctx)
}

// addLSDPeer takes a peer local service discovery found (the session
// passes only those of torrents it believes public; a magnet learns it is
// private with its metadata) and posts lsd_peer for it, as libtorrent.
func (a peerList) addLSDPeer(ctx actor.Context, m *messages.LSDPeer) {
	if (pexing{a.Actor}).private() {
		return
	}
	a.addPeers(ctx, peerlist.FromLSD, []netip.AddrPort{m.Addr})
	a.post(ctx, &messages.LSDPeerAlert{PeerAlertHeader: messages.PeerHeader(a.ih, m.Addr.String(), [20]byte{})})
}

// peerLeft records that a connection ended (once per connection).
func (a peerList) peerLeft(p *peerInfo, failed bool) {
	p.closed = true
	p.unchoked = false // its upload slot is free (the next rechoke)
	if ap, ok := parseAddrPort(p.addr); ok {
		a.plist.Closed(ap, failed)
	}
}

// banPeer keeps a peer that lied to us out for the torrent's life (and in
// the resume data's banned_peers).
func (a peerList) banPeer(p *peerInfo) {
	if ap, ok := parseAddrPort(p.addr); ok {
		a.plist.Ban(ap)
		a.cfg.Counters.Inc(stats.PeerNumBannedPeers)
	}
}

// noteListenPort: a peer that connected to us gave its listen port; the
// list keeps it there, to connect to again (peerlist.ListenPort).
func (a peerList) noteListenPort(m *messages.PeerExtHandshake) {
	p := a.peers.get(m.Key)
	if p == nil || !p.incoming || m.ListenPort == 0 {
		return
	}
	if ap, ok := parseAddrPort(p.addr); ok {
		a.plist.ListenPort(ap, m.ListenPort)
	}
}

// listedPeers are the peers to save in resume data: the ones we could
// connect to again, and the banned ones.
func (a peerList) listedPeers() (peers, banned []netip.AddrPort) {
	for _, p := range a.plist.Peers() {
		switch {
		case p.Banned:
			banned = append(banned, p.Addr)
		case p.Source != peerlist.FromIncoming || p.ListenPortKnown:
			peers = append(peers, p.Addr)
		}
	}
	return peers, banned
}
