package messages

import (
	"fmt"
	"net/netip"
)

// Alerts about the DHT.

// DHTReplyAlert: a DHT lookup for the torrent found NumPeers peers
// (libtorrent's dht_reply_alert, a tracker alert with no URL).
type DHTReplyAlert struct {
	TrackerAlertHeader
	NumPeers int
}

// DHTAnnounceAlert: a node announced to ours that it has InfoHash, at
// IP and Port.
type DHTAnnounceAlert struct {
	AlertHeader
	IP       netip.Addr
	Port     int
	InfoHash InfoHash
}

// DHTGetPeersAlert: a node asked ours for the peers of InfoHash.
type DHTGetPeersAlert struct {
	AlertHeader
	InfoHash InfoHash
}

// DHTBootstrapAlert: the DHT node's first bootstrap ended (its routing
// table is as full as the nodes it could reach make it).
type DHTBootstrapAlert struct {
	AlertHeader
}

// The operations of a DHTErrorAlert (libtorrent's dht_error_alert::op_t).
const (
	DHTOpUnknown        = 0
	DHTOpHostnameLookup = 1
)

// DHTErrorAlert: the DHT failed at Operation: a router's name did not
// resolve (DHTOpHostnameLookup), or the node could not start or lost its
// socket (DHTOpUnknown).
type DHTErrorAlert struct {
	AlertHeader
	Error     error
	Operation int
}

// DHTStatsAlert answers PostDHTStats: the running lookups and the routing
// table's buckets.
type DHTStatsAlert struct {
	AlertHeader
	ActiveRequests []DHTLookup
	RoutingTable   []DHTRoutingBucket
}

func (DHTReplyAlert) Type() int     { return 16 }
func (DHTAnnounceAlert) Type() int  { return 55 }
func (DHTGetPeersAlert) Type() int  { return 56 }
func (DHTBootstrapAlert) Type() int { return 62 }
func (DHTErrorAlert) Type() int     { return 73 }
func (DHTStatsAlert) Type() int     { return 83 }

func (DHTReplyAlert) Category() AlertCategory     { return CategoryTracker }
func (DHTAnnounceAlert) Category() AlertCategory  { return CategoryDHT }
func (DHTGetPeersAlert) Category() AlertCategory  { return CategoryDHT }
func (DHTBootstrapAlert) Category() AlertCategory { return CategoryDHT }
func (DHTErrorAlert) Category() AlertCategory     { return CategoryError | CategoryDHT }
func (DHTStatsAlert) Category() AlertCategory     { return CategoryStats }

func (DHTReplyAlert) What() string     { return "dht_reply" }
func (DHTAnnounceAlert) What() string  { return "dht_announce" }
func (DHTGetPeersAlert) What() string  { return "dht_get_peers" }
func (DHTBootstrapAlert) What() string { return "dht_bootstrap" }
func (DHTErrorAlert) What() string     { return "dht_error" }
func (DHTStatsAlert) What() string     { return "dht_stats" }

func (DHTReplyAlert) Discardable() bool     { return true }
func (DHTAnnounceAlert) Discardable() bool  { return true }
func (DHTGetPeersAlert) Discardable() bool  { return true }
func (DHTBootstrapAlert) Discardable() bool { return true }
func (DHTErrorAlert) Discardable() bool     { return true }

// DHTStatsAlert answers a request: never dropped.
func (DHTStatsAlert) Discardable() bool { return false }

func (a DHTReplyAlert) Message() string {
	return fmt.Sprintf("%s received DHT peers: %d", a.prefix(), a.NumPeers)
}
func (a DHTAnnounceAlert) Message() string {
	return fmt.Sprintf("incoming dht announce: %s:%d (%s)", a.IP, a.Port, a.InfoHash)
}
func (a DHTGetPeersAlert) Message() string {
	return fmt.Sprintf("incoming dht get_peers: %s", a.InfoHash)
}
func (DHTBootstrapAlert) Message() string { return "DHT bootstrap complete" }
func (a DHTErrorAlert) Message() string {
	op := "unknown"
	if a.Operation == DHTOpHostnameLookup {
		op = "hostname lookup"
	}
	return fmt.Sprintf("DHT error [%s] %v", op, a.Error)
}
func (a DHTStatsAlert) Message() string {
	return fmt.Sprintf("DHT stats: reqs: %d buckets: %d", len(a.ActiveRequests), len(a.RoutingTable))
}

// DHTImmutableItemAlert answers DHTGetItem for an immutable item: Item is
// the bencoded value stored under Target (nil: none was found).
type DHTImmutableItemAlert struct {
	AlertHeader
	Target [20]byte
	Item   []byte
}

// DHTMutableItemAlert answers DHTGetItem for a mutable item: the item
// with the highest seq found under Key and Salt, with its Signature; Item
// is its bencoded value (nil, with Seq 0: none was found).
type DHTMutableItemAlert struct {
	AlertHeader
	Key       [32]byte
	Signature [64]byte
	Seq       int64
	Salt      []byte
	Item      []byte
}

// DHTPutAlert: a DHTPutItem ended. NumSuccess is how many of the nodes
// closest to the target stored the item (0: none was reachable, or all
// refused it: a mutable put whose CAS or Seq they did not accept). Target
// is the item's; a mutable put also has its PublicKey, Signature, Salt and
// Seq.
type DHTPutAlert struct {
	AlertHeader
	Target     [20]byte
	PublicKey  [32]byte
	Signature  [64]byte
	Salt       []byte
	Seq        int64
	NumSuccess int
}

func (DHTImmutableItemAlert) Type() int { return 74 }
func (DHTMutableItemAlert) Type() int   { return 75 }
func (DHTPutAlert) Type() int           { return 76 }

func (DHTImmutableItemAlert) Category() AlertCategory { return CategoryError | CategoryDHT }
func (DHTMutableItemAlert) Category() AlertCategory   { return CategoryError | CategoryDHT }
func (DHTPutAlert) Category() AlertCategory           { return CategoryDHT }

func (DHTImmutableItemAlert) What() string { return "dht_immutable_item" }
func (DHTMutableItemAlert) What() string   { return "dht_mutable_item" }
func (DHTPutAlert) What() string           { return "dht_put" }

// The item alerts answer a request: never dropped.
func (DHTImmutableItemAlert) Discardable() bool { return false }
func (DHTMutableItemAlert) Discardable() bool   { return false }
func (DHTPutAlert) Discardable() bool           { return true }

func (a DHTImmutableItemAlert) Message() string {
	return fmt.Sprintf("DHT immutable item %x [ %q ]", a.Target, a.Item)
}
func (a DHTMutableItemAlert) Message() string {
	return fmt.Sprintf("DHT mutable item (key=%x salt=%q seq=%d) [ %q ]", a.Key, a.Salt, a.Seq, a.Item)
}

// Message is libtorrent 1.1's: the target of an immutable put, the key,
// signature, salt and seq of a mutable one.
func (a DHTPutAlert) Message() string {
	if a.PublicKey == ([32]byte{}) {
		return fmt.Sprintf("DHT put complete (success=%d hash=%x)", a.NumSuccess, a.Target)
	}
	return fmt.Sprintf("DHT put complete (success=%d key=%x sig=%x salt=%q seq=%d)",
		a.NumSuccess, a.PublicKey, a.Signature, a.Salt, a.Seq)
}
