package messages

import "fmt"

// PeerBlockedAlert: a peer was not connected to, refused, or disconnected
// because of Reason (the IP filter, the port filter, a disabled
// transport). Endpoint is its address. InfoHash is zero (and the facade's
// handle invalid) when the session refused an incoming connection before
// any torrent saw it.
type PeerBlockedAlert struct {
	PeerAlertHeader
	Reason PeerBlockedReason
}

func (PeerBlockedAlert) Type() int               { return 54 }
func (PeerBlockedAlert) Category() AlertCategory { return CategoryIPBlock }
func (PeerBlockedAlert) What() string            { return "peer_blocked" }
func (PeerBlockedAlert) Discardable() bool       { return true }

func (a PeerBlockedAlert) Message() string {
	if a.InfoHash == (InfoHash{}) {
		return fmt.Sprintf("peer (%s) blocked peer [%s]", a.Endpoint, a.Reason)
	}
	return fmt.Sprintf("%s peer (%s) blocked peer [%s]", a.torrentName(), a.Endpoint, a.Reason)
}
