package actorrent

import "github.com/actorrent/actorrent/messages"

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
