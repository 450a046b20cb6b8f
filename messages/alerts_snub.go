package messages

// PeerSnubbedAlert: the peer left our requests unanswered (no block for
// piece_timeout, or the awaited block later than its request timeout):
// it gets one request at a time and loses its unchoke slot until a block
// comes in time (PeerUnsnubbedAlert).
type PeerSnubbedAlert struct {
	PeerAlertHeader
}

// PeerUnsnubbedAlert: a snubbed peer sent a block within its request
// timeout; its request queue grows with its rate again.
type PeerUnsnubbedAlert struct {
	PeerAlertHeader
}

func (PeerUnsnubbedAlert) Type() int { return 20 }
func (PeerSnubbedAlert) Type() int   { return 21 }

func (PeerUnsnubbedAlert) Category() AlertCategory { return CategoryPeer }
func (PeerSnubbedAlert) Category() AlertCategory   { return CategoryPeer }

func (PeerUnsnubbedAlert) What() string { return "peer_unsnubbed" }
func (PeerSnubbedAlert) What() string   { return "peer_snubbed" }

func (PeerUnsnubbedAlert) Discardable() bool { return true }
func (PeerSnubbedAlert) Discardable() bool   { return true }

func (a PeerUnsnubbedAlert) Message() string { return a.peerName() + " peer unsnubbed" }
func (a PeerSnubbedAlert) Message() string   { return a.peerName() + " peer snubbed" }
