package messages

import "fmt"

// LSDPeerAlert: local service discovery found a peer of the torrent
// (libtorrent's lsd_peer_alert); it went into the peer list.
type LSDPeerAlert struct{ PeerAlertHeader }

// LSDErrorAlert: local service discovery could not open or use its
// multicast socket (libtorrent's lsd_error_alert); it retries with a
// backoff.
type LSDErrorAlert struct {
	AlertHeader
	Error error
}

func (LSDPeerAlert) Type() int                { return 60 }
func (LSDErrorAlert) Type() int               { return 82 }
func (LSDPeerAlert) Category() AlertCategory  { return CategoryPeer }
func (LSDErrorAlert) Category() AlertCategory { return CategoryError }
func (LSDPeerAlert) What() string             { return "lsd_peer" }
func (LSDErrorAlert) What() string            { return "lsd_error" }
func (LSDPeerAlert) Discardable() bool        { return true }
func (LSDErrorAlert) Discardable() bool       { return true }
func (a LSDPeerAlert) Message() string {
	return fmt.Sprintf("%s peer (%s) received peer from local service discovery", a.torrentName(), a.Endpoint)
}
func (a LSDErrorAlert) Message() string {
	return fmt.Sprintf("Local Service Discovery error: %v", a.Error)
}
