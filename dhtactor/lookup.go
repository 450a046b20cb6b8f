package dhtactor

import (
	"net/netip"

	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/anacrolix/dht/v2"
	"github.com/anacrolix/dht/v2/krpc"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/asynkron/protoactor-go/actor"
)

// lookupConfig is one torrent's lookup: get_peers through the DHT toward
// its info-hash, then announce_peer to the closest nodes that answered.
type lookupConfig struct {
	srv     *dht.Server
	ih      messages.InfoHash
	torrent *actor.PID
	alerts  *actor.PID
	sup     *supervisor.Supervision
	port    int
	implied bool
	// self is our own announce as others store it, when the socket's
	// address is specific: a lookup does not count it as a peer.
	self netip.AddrPort
	// store holds what other nodes announced to ours: its peers of the
	// torrent are peers too (in a DHT of two, the only ones).
	store  *dhtstate.PeerStore
	probe  *Probe
	parent *actor.PID
}

// lookup runs the traversal on a goroutine, which sends what the nodes
// answer as messages; it hands new peers to the torrent as they come and
// tells its parent how it went when the traversal ends.
type lookup struct {
	cfg   lookupConfig
	ann   *dht.Announce
	stats *lookupStats
	seen  map[netip.AddrPort]bool
}

type (
	peersFound     struct{ peers []netip.AddrPort }
	traversalEnded struct{}
)

func newLookup(cfg lookupConfig) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return &lookup{cfg: cfg, seen: map[netip.AddrPort]bool{}} })
}

func (l *lookup) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		l.start(ctx)
	case *peersFound:
		l.handlePeers(ctx, m)
	case *traversalEnded:
		l.end(ctx)
	case *messages.GoroutineFailed:
		panic(m) // stopped; the parent sees Terminated and reschedules
	case *actor.Stopping:
		if l.ann != nil {
			l.ann.Close()
			l.cfg.probe.setLookup(l.cfg.ih, nil)
		}
	}
}

func (l *lookup) start(ctx actor.Context) {
	c := l.cfg
	ann, err := c.srv.AnnounceTraversal(c.ih, dht.AnnouncePeer(dht.AnnouncePeerOpts{Port: c.port, ImpliedPort: c.implied}))
	if err != nil { // no node to start from (the table is still empty)
		ctx.Send(c.parent, &lookupDone{ih: c.ih, srv: c.srv})
		return
	}
	l.ann, l.stats = ann, &lookupStats{ann: ann}
	c.probe.setLookup(c.ih, l.stats)
	if c.store != nil {
		l.give(ctx, nodeAddrs(c.store.GetPeers(metainfo.Hash(c.ih))))
	}
	root, self := ctx.ActorSystem().Root, ctx.Self()
	go func() {
		// The library's traversal waits for its Peers to be read: drained
		// to the end whatever happens here (a panic recovered included),
		// or it never stops.
		defer func() {
			for range ann.Peers {
			}
		}()
		defer supervisor.Recover(root, self, supervisor.SiteTraversal)
		c.sup.Inject(supervisor.KindDHTLookup, supervisor.SiteTraversal, "get_peers")
		for pv := range ann.Peers { // one a node's answer
			root.Send(self, &peersFound{peers: nodeAddrs(pv.Peers)})
		}
		root.Send(self, &traversalEnded{})
	}()
}

// handlePeers counts a node's answer and gives its peers.
func (l *lookup) handlePeers(ctx actor.Context, m *peersFound) {
	l.stats.responses.Add(1)
	l.give(ctx, m.peers)
}

// give hands the torrent the peers it was not given yet.
func (l *lookup) give(ctx actor.Context, peers []netip.AddrPort) {
	var fresh []netip.AddrPort
	for _, p := range peers {
		if p == l.cfg.self {
			continue
		}
		if !l.seen[p] {
			l.seen[p] = true
			fresh = append(fresh, p)
		}
	}
	if len(fresh) > 0 && l.cfg.torrent != nil {
		ctx.Send(l.cfg.torrent, &messages.DHTPeers{InfoHash: l.cfg.ih, Peers: fresh})
	}
}

// end posts dht_reply and tells the parent, which stops the lookup. (Were
// it to stop itself, its Terminated, a system message, could reach the
// parent before lookupDone and read as a failure.)
func (l *lookup) end(ctx actor.Context) {
	c := l.cfg
	ok := l.stats.responses.Load() > 0
	ctx.Send(c.alerts, &messages.PostAlert{Alert: &messages.DHTReplyAlert{
		TrackerAlertHeader: messages.TrackerHeader(c.ih, ""), NumPeers: len(l.seen)}})
	ctx.Send(c.parent, &lookupDone{ih: c.ih, ok: ok, peers: len(l.seen), srv: c.srv})
}

// nodeAddrs converts the library's peer addresses, dropping unusable ones.
func nodeAddrs(in []krpc.NodeAddr) []netip.AddrPort {
	out := make([]netip.AddrPort, 0, len(in))
	for _, p := range in {
		if ip, ok := netip.AddrFromSlice(p.IP); ok && p.Port > 0 && p.Port < 65536 {
			out = append(out, netip.AddrPortFrom(ip.Unmap(), uint16(p.Port)))
		}
	}
	return out
}
