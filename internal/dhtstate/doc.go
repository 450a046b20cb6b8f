// Package dhtstate holds the DHT's decisions as plain Go, for the dht
// actor (dhtactor) and the session: when each torrent announces
// (Schedule), libtorrent 1.0's dht_settings and which of them the
// anacrolix/dht server can honour (Settings), the session settings that
// shape the server (Params), the conversion of the server's node id and
// nodes to and from libtorrent's "dht state" (state.go), the routing
// table's buckets for session_status (Buckets), and a bounded store of
// the peers other nodes announce to us (PeerStore).
//
// No actors, no goroutines; time is a parameter.
package dhtstate
