package messages

// Alerts about peers and the session's sockets.

// PeerConnectAlert: a connection to a peer was made (both directions).
type PeerConnectAlert struct {
	AlertHeader
	InfoHash InfoHash
	Addr     string
	PeerID   [20]byte
	Incoming bool
}

// PeerDisconnectedAlert: a peer connection closed.
type PeerDisconnectedAlert struct {
	AlertHeader
	InfoHash InfoHash
	Addr     string
	PeerID   [20]byte
	Err      error
}

// PeerErrorAlert: a peer broke the protocol and was disconnected.
type PeerErrorAlert struct {
	AlertHeader
	InfoHash InfoHash
	Addr     string
	PeerID   [20]byte
	Err      error
}

// PeerBanAlert: a peer was banned for sending bad data; it is disconnected
// and never connected to again by this torrent.
type PeerBanAlert struct {
	AlertHeader
	InfoHash InfoHash
	Addr     string
	PeerID   [20]byte
}

// ListenSucceededAlert: the session listens on Addr.
type ListenSucceededAlert struct {
	AlertHeader
	Addr     string
	SockType int
}

// ListenFailedAlert: the session could not listen on Addr.
type ListenFailedAlert struct {
	AlertHeader
	Addr     string
	Err      error
	Op       int
	SockType int
}

// AlertsDroppedAlert: alerts were dropped because the queue was full;
// Dropped counts them by what() name.
type AlertsDroppedAlert struct {
	AlertHeader
	Dropped map[string]int
}

func (PeerConnectAlert) AlertCategory() AlertCategory      { return CategoryDebug }
func (PeerDisconnectedAlert) AlertCategory() AlertCategory { return CategoryDebug }
func (PeerErrorAlert) AlertCategory() AlertCategory        { return CategoryPeer }
func (PeerBanAlert) AlertCategory() AlertCategory          { return CategoryPeer }
func (ListenSucceededAlert) AlertCategory() AlertCategory  { return CategoryStatus }
func (ListenFailedAlert) AlertCategory() AlertCategory     { return CategoryStatus | CategoryError }
func (AlertsDroppedAlert) AlertCategory() AlertCategory    { return CategoryError }

func (PeerConnectAlert) AlertWhat() string      { return "peer_connect" }
func (PeerDisconnectedAlert) AlertWhat() string { return "peer_disconnected" }
func (PeerErrorAlert) AlertWhat() string        { return "peer_error" }
func (PeerBanAlert) AlertWhat() string          { return "peer_ban" }
func (ListenSucceededAlert) AlertWhat() string  { return "listen_succeeded" }
func (ListenFailedAlert) AlertWhat() string     { return "listen_failed" }
func (AlertsDroppedAlert) AlertWhat() string    { return "alerts_dropped" }

func (PeerConnectAlert) Discardable() bool      { return true }
func (PeerDisconnectedAlert) Discardable() bool { return true }
func (PeerErrorAlert) Discardable() bool        { return true }
func (PeerBanAlert) Discardable() bool          { return true }
func (ListenSucceededAlert) Discardable() bool  { return false }
func (ListenFailedAlert) Discardable() bool     { return false }
func (AlertsDroppedAlert) Discardable() bool    { return false }

// IncomingConnectionAlert: a peer connected to a listen socket (before
// its handshake says which torrent it wants); SocketType 1 is TCP, as
// libtorrent numbers socket types.
type IncomingConnectionAlert struct {
	AlertHeader
	Addr       string
	SocketType int
}

func (IncomingConnectionAlert) AlertCategory() AlertCategory { return CategoryPeer }
func (IncomingConnectionAlert) AlertWhat() string            { return "incoming_connection" }
func (IncomingConnectionAlert) Discardable() bool            { return true }
