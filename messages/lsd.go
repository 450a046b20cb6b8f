package messages

import "net/netip"

// Local service discovery (BEP 14): the session, the LSD actor that owns
// the multicast socket, and the torrents it finds peers for.

// LSDReady (LSD actor → session): the actor (a new one, or one restarted
// after a failure) listens and wants the torrents to announce.
type LSDReady struct{}

// LSDTorrents (session → LSD actor): start announcing Add, stop
// announcing Remove (torrents that are not private).
type LSDTorrents struct {
	Add, Remove []InfoHash
}

// LSDPeer (LSD actor → session → torrent): a peer at Addr announced
// InfoHash on the local network; the torrent puts it in its peer list
// with source lsd and posts lsd_peer.
type LSDPeer struct {
	InfoHash InfoHash
	Addr     netip.AddrPort
}
