package sessionactor

import (
	"github.com/actorrent/actorrent/dhtactor"
	"github.com/actorrent/actorrent/internal/stats"
)

// fillDHTStats maps the DHT node's metrics onto libtorrent's dht.* ones
// (session stats).
func fillDHTStats(v []int64, m dhtactor.Metrics) {
	t := m.Traffic
	set := map[stats.Index]int64{
		stats.DHTNodes: m.Nodes, stats.DHTNodeCache: m.NodeCache, stats.DHTTorrents: m.Torrents,
		stats.DHTPeers: m.Peers, stats.DHTImmutableData: m.ImmutableItems, stats.DHTMutableData: m.MutableItems,
		stats.DHTAllocatedObservers: m.AllocatedObservers,
		stats.DHTMessagesIn:         t.MessagesIn, stats.DHTMessagesOut: t.MessagesOut,
		stats.DHTMessagesOutDropped: t.MessagesOutDropped,
		stats.DHTBytesIn:            t.BytesIn, stats.DHTBytesOut: t.BytesOut,
		stats.DHTPingIn: t.QueriesIn["ping"], stats.DHTPingOut: t.QueriesOut["ping"],
		stats.DHTFindNodeIn: t.QueriesIn["find_node"], stats.DHTFindNodeOut: t.QueriesOut["find_node"],
		stats.DHTGetPeersIn: t.QueriesIn["get_peers"], stats.DHTGetPeersOut: t.QueriesOut["get_peers"],
		stats.DHTAnnouncePeerIn: t.QueriesIn["announce_peer"], stats.DHTAnnouncePeerOut: t.QueriesOut["announce_peer"],
		stats.DHTGetIn: t.QueriesIn["get"], stats.DHTGetOut: t.QueriesOut["get"],
		stats.DHTPutIn: t.QueriesIn["put"], stats.DHTPutOut: t.QueriesOut["put"],
	}
	for i, x := range set {
		v[i] = x
	}
}
