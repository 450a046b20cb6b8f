package actorrent

import (
	"fmt"

	"github.com/actorrent/actorrent/messages"
)

// PeerBlockedReason says why a peer was blocked (libtorrent's
// peer_blocked_alert::reason_t, same values); String gives libtorrent's
// name.
type PeerBlockedReason = messages.PeerBlockedReason

// The reasons of PeerBlockedAlert. The session posts PeerBlockedIPFilter,
// PeerBlockedPortFilter and PeerBlockedTCPDisabled (an incoming
// connection while enable_incoming_tcp is off); the others name checks of
// libtorrent's transports it does not have.
const (
	PeerBlockedIPFilter              = messages.BlockedIPFilter
	PeerBlockedPortFilter            = messages.BlockedPortFilter
	PeerBlockedI2PMixed              = messages.BlockedI2PMixed
	PeerBlockedPrivilegedPorts       = messages.BlockedPrivilegedPorts
	PeerBlockedUTPDisabled           = messages.BlockedUTPDisabled
	PeerBlockedTCPDisabled           = messages.BlockedTCPDisabled
	PeerBlockedInvalidLocalInterface = messages.BlockedInvalidLocalInterface
)

// PeerBlockedAlert: a peer was not connected to, refused, or disconnected
// because of Reason (the IP filter, the port filter, a disabled
// transport). Endpoint is its address. The handle is invalid (the zero
// info-hash) when the session refused an incoming connection before any
// torrent saw it.
type PeerBlockedAlert struct {
	peerAlertBase
	Reason PeerBlockedReason
}

func (PeerBlockedAlert) Type() int               { return 54 }
func (PeerBlockedAlert) Category() AlertCategory { return CategoryIPBlock }
func (PeerBlockedAlert) What() string            { return "peer_blocked" }

func (a PeerBlockedAlert) Message() string {
	if a.Handle.ih == (InfoHash{}) {
		return fmt.Sprintf("peer (%s) blocked peer [%s]", a.Endpoint, a.Reason)
	}
	return fmt.Sprintf("%s peer (%s) blocked peer [%s]", a.torrentName(), a.Endpoint, a.Reason)
}
