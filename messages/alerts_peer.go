package messages

import (
	"fmt"
	"sort"
	"strings"
)

// Alerts about peers and the session's sockets.

// PeerConnectAlert: a peer connection was established (both directions).
type PeerConnectAlert struct {
	PeerAlertHeader
	Incoming bool
}

// PeerDisconnectedAlert: a peer connection closed; Error says why (nil
// when we closed it ourselves).
type PeerDisconnectedAlert struct {
	PeerAlertHeader
	Error error
}

// PeerErrorAlert: a peer broke the protocol and was disconnected.
type PeerErrorAlert struct {
	PeerAlertHeader
	Error error
}

// PeerBanAlert: the peer was banned for sending data that failed the hash
// check (it alone sent a failed piece, or its trust ran out); it is
// disconnected and the torrent never connects to it again.
type PeerBanAlert struct{ PeerAlertHeader }

// ListenSucceededAlert: the session listens on Endpoint.
type ListenSucceededAlert struct {
	AlertHeader
	Endpoint string
	SockType int
}

// ListenFailedAlert: the session could not listen on Endpoint; Operation
// is libtorrent's operation code (parse_address, bind, ...).
type ListenFailedAlert struct {
	AlertHeader
	Endpoint  string
	Error     error
	Operation int
	SockType  int
}

// AlertsDroppedAlert: the queue was full and alerts were dropped; Dropped
// counts them by What() name. Never dropped itself.
type AlertsDroppedAlert struct {
	AlertHeader
	Dropped map[string]int
}

// IncomingConnectionAlert: a peer connected to one of the session's listen
// sockets, before its handshake names a torrent (libtorrent's
// incoming_connection_alert). SocketType 1 is TCP, as libtorrent numbers
// socket types.
type IncomingConnectionAlert struct {
	AlertHeader
	Endpoint   string
	SocketType int
}

func (PeerConnectAlert) Type() int        { return 23 }
func (PeerDisconnectedAlert) Type() int   { return 24 }
func (PeerErrorAlert) Type() int          { return 22 }
func (PeerBanAlert) Type() int            { return 19 }
func (ListenSucceededAlert) Type() int    { return 49 }
func (ListenFailedAlert) Type() int       { return 48 }
func (AlertsDroppedAlert) Type() int      { return 95 }
func (IncomingConnectionAlert) Type() int { return 66 }

func (PeerConnectAlert) Category() AlertCategory        { return CategoryDebug }
func (PeerDisconnectedAlert) Category() AlertCategory   { return CategoryDebug }
func (PeerErrorAlert) Category() AlertCategory          { return CategoryPeer }
func (PeerBanAlert) Category() AlertCategory            { return CategoryPeer }
func (ListenSucceededAlert) Category() AlertCategory    { return CategoryStatus }
func (ListenFailedAlert) Category() AlertCategory       { return CategoryStatus | CategoryError }
func (AlertsDroppedAlert) Category() AlertCategory      { return CategoryError }
func (IncomingConnectionAlert) Category() AlertCategory { return CategoryPeer }

func (PeerConnectAlert) What() string        { return "peer_connect" }
func (PeerDisconnectedAlert) What() string   { return "peer_disconnected" }
func (PeerErrorAlert) What() string          { return "peer_error" }
func (PeerBanAlert) What() string            { return "peer_ban" }
func (ListenSucceededAlert) What() string    { return "listen_succeeded" }
func (ListenFailedAlert) What() string       { return "listen_failed" }
func (AlertsDroppedAlert) What() string      { return "alerts_dropped" }
func (IncomingConnectionAlert) What() string { return "incoming_connection" }

func (PeerConnectAlert) Discardable() bool        { return true }
func (PeerDisconnectedAlert) Discardable() bool   { return true }
func (PeerErrorAlert) Discardable() bool          { return true }
func (PeerBanAlert) Discardable() bool            { return true }
func (ListenSucceededAlert) Discardable() bool    { return false }
func (ListenFailedAlert) Discardable() bool       { return false }
func (AlertsDroppedAlert) Discardable() bool      { return false }
func (IncomingConnectionAlert) Discardable() bool { return true }

func (a PeerConnectAlert) Message() string {
	dir := "outgoing"
	if a.Incoming {
		dir = "incoming"
	}
	return fmt.Sprintf("%s peer (%s) connecting (%s)", a.torrentName(), a.Endpoint, dir)
}
func (a PeerDisconnectedAlert) Message() string {
	return fmt.Sprintf("%s peer (%s) disconnecting: %v", a.torrentName(), a.Endpoint, a.Error)
}
func (a PeerErrorAlert) Message() string {
	return fmt.Sprintf("%s peer (%s) peer error: %v", a.torrentName(), a.Endpoint, a.Error)
}
func (a PeerBanAlert) Message() string {
	return fmt.Sprintf("%s peer (%s) banned peer", a.torrentName(), a.Endpoint)
}
func (a ListenSucceededAlert) Message() string {
	return fmt.Sprintf("successfully listening on [TCP] %s", a.Endpoint)
}
func (a ListenFailedAlert) Message() string {
	return fmt.Sprintf("listening on %s failed: %v", a.Endpoint, a.Error)
}
func (a AlertsDroppedAlert) Message() string {
	names := make([]string, 0, len(a.Dropped))
	for n, c := range a.Dropped {
		names = append(names, fmt.Sprintf("%s×%d", n, c))
	}
	sort.Strings(names)
	return "dropped alerts: " + strings.Join(names, ", ")
}
func (a IncomingConnectionAlert) Message() string {
	return "incoming connection from " + a.Endpoint
}
