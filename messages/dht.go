package messages

import (
	"crypto/ed25519"
	"net/netip"

	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/internal/sessionstate"
	"github.com/asynkron/protoactor-go/actor"
)

// Messages of the DHT: facade → session, session ↔ dht actor, dht actor
// → torrent.

// DHTSettings are libtorrent 1.0's dht_settings (see dhtstate.Settings
// for what each field does here).
type DHTSettings = dhtstate.Settings

// StartDHT starts the DHT node (start_dht; the enable_dht setting); a
// running one is left alone. Reply: DHTReply.
type StartDHT struct{}

// StopDHT stops the DHT node (stop_dht). Reply: DHTReply.
type StopDHT struct{}

// DHTReply answers StartDHT, StopDHT, AddDHTNode, SetDHTSettings and
// ForceDHTAnnounce; Err says why a request was not done.
type DHTReply struct{ Err error }

// IsDHTRunning asks whether the DHT node runs. Reply: IsDHTRunningReply.
type IsDHTRunning struct{}

// IsDHTRunningReply answers IsDHTRunning.
type IsDHTRunningReply struct{ Running bool }

// AddDHTNode gives the DHT a node to contact (add_dht_node: pinged, and
// kept if it answers) or, with Router, a router (add_dht_router: used
// only while the routing table is empty). Addr is host:port.
type AddDHTNode struct {
	Addr   string
	Router bool
}

// SetDHTSettings replaces the DHT's settings (set_dht_settings).
type SetDHTSettings struct{ Settings DHTSettings }

// GetDHTSettings asks for them. Reply: GetDHTSettingsReply.
type GetDHTSettings struct{}

// GetDHTSettingsReply answers GetDHTSettings.
type GetDHTSettingsReply struct{ Settings DHTSettings }

// GetDHTState asks for the DHT's state to save (SaveState's "dht state").
// Reply: GetDHTStateReply, with a nil State while the DHT does not run
// (libtorrent writes none then either).
type GetDHTState struct{}

// GetDHTStateReply answers GetDHTState.
type GetDHTStateReply struct{ State *sessionstate.DHTState }

// LoadDHTState gives the DHT a saved state (LoadState): its node id and
// the nodes to start from, used by a running node at once (the nodes) and
// by the next start (both).
type LoadDHTState struct{ State *sessionstate.DHTState }

// PostDHTStats asks for a DHTStatsAlert (post_dht_stats).
type PostDHTStats struct{}

// ForceDHTAnnounce makes a torrent look up peers and announce itself on
// the DHT now (force_dht_announce).
type ForceDHTAnnounce struct{ InfoHash InfoHash }

// DHTTorrentWanted: a torrent started (Want) or stopped wanting peers
// from the DHT (torrent → session → dht actor), and so from LSD too (the
// session's LSD actor announces the torrents that want them). Torrent is
// its actor, where DHTPeers go.
type DHTTorrentWanted struct {
	InfoHash InfoHash
	Torrent  *actor.PID
	Want     bool
}

// DHTNodeFromPeer is a DHT node a peer told us of in BEP 5's PORT
// message: its IP and the port it sent (peer → torrent → session → dht
// actor, as add_dht_node).
type DHTNodeFromPeer struct{ Addr netip.AddrPort }

// DHTPeers are peers a DHT lookup found for a torrent (dht actor →
// torrent): they go to its peer list with source dht.
type DHTPeers struct {
	InfoHash InfoHash
	Peers    []netip.AddrPort
}

// DHTStatus is the DHT's part of session_status.
type DHTStatus struct {
	Nodes, NodeCache, Torrents int
	GlobalNodes                int64
	ActiveRequests             []DHTLookup
	RoutingTable               []DHTRoutingBucket
	TotalAllocations           int
	UploadRate, DownloadRate   int
	TotalUpload, TotalDownload int64
}

// DHTGetItem looks up a BEP 44 item: the immutable item stored under
// Target, or, when Key is set, the mutable item of that public key and
// Salt (its target is SHA-1(Key+Salt); Target is not used). The answer is
// a DHTImmutableItemAlert or a DHTMutableItemAlert. Reply: DHTReply.
type DHTGetItem struct {
	Target [20]byte
	Key    [32]byte
	Salt   []byte
}

// DHTPutItem stores a BEP 44 item (Item: one bencoded value of at most
// 1000 bytes) on the nodes closest to its target: an immutable item when
// Key is nil (its target is the SHA-1 of Item); else a mutable one, signed
// with Key, under Salt (at most 64 bytes) with sequence number Seq, and,
// when CAS is not zero, stored by a node only if the seq of the item it
// holds is CAS. A DHTPutAlert says when it is done. Reply: DHTReply.
type DHTPutItem struct {
	Item []byte
	Key  ed25519.PrivateKey
	Salt []byte
	Seq  int64
	CAS  int64
}
