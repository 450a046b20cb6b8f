package torrentactor

import (
	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// dhtAnnouncing is the torrent's side of the DHT: it tells the session
// when it starts and stops wanting peers from the DHT (the session's dht
// actor decides when to look them up and announce), and puts the peers
// found in its list with source dht. Its only state is one flag in the
// tracker state (trk.dht), which fits in that struct's padding: the
// schedule lives in the dht actor.
type dhtAnnouncing struct{ *Actor }

// sync tells the session whether the torrent wants DHT peers now: by the
// rule trackers announce by (active, past the check that follows its
// metadata), unless it is private (BEP 27: trackers only). Call it after
// every such change (syncAnnouncing does).
func (a dhtAnnouncing) sync(ctx actor.Context) {
	want := a.active() && (!a.life.checking() || a.meta.enabled) && !(pexing{a.Actor}).private()
	if want == a.trk.dht {
		return
	}
	a.trk.dht = want
	ctx.Send(a.cfg.Session, &messages.DHTTorrentWanted{InfoHash: a.ih, Torrent: ctx.Self(), Want: want})
}

// handlePeers puts a lookup's peers in the list.
func (a dhtAnnouncing) handlePeers(ctx actor.Context, m *messages.DHTPeers) {
	if (pexing{a.Actor}).private() || !a.trk.dht {
		return
	}
	peerList{a.Actor}.addPeers(ctx, peerlist.FromDHT, m.Peers)
}
