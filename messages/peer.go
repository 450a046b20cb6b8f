package messages

import "github.com/actorrent/actorrent/internal/bitfield"

// Messages a torrent sends to one of its peer actors.

// BlocksAssigned answers RequestBlocks with blocks the peer should request.
type BlocksAssigned struct {
	Blocks []Block
}

// CancelBlock tells a peer to cancel a request another peer already served
// (end game).
type CancelBlock struct {
	Block Block
}

// HavePiece tells every peer that we now have a piece (send HAVE).
type HavePiece struct {
	Piece int
}

// SuggestPiece: suggest the piece to the peer (BEP 6's suggest, sent with
// the fast extension to a peer that lacks it): it is in our read cache.
type SuggestPiece struct {
	Piece int
}

// SetInterested sets our interest in the peer.
type SetInterested struct {
	Interested bool
}

// SetChoke chokes or unchokes the peer.
type SetChoke struct {
	Choke bool
}

// Disconnect closes the connection; Err says why (nil for a plain close).
type Disconnect struct {
	Err error
}

// PeerSnapshot asks a peer actor for its counters; reply PeerSnapshotReply.
type PeerSnapshot struct{}

// PeerSnapshotReply is a peer's view of itself.
type PeerSnapshotReply struct {
	Key  PeerKey
	Addr string
	Have bitfield.Bitfield
}

// CancelRequests cancels every request the peer has outstanding (the
// torrent stopped downloading: upload mode); the blocks come back to the
// torrent as BlocksCancelled.
type CancelRequests struct{}
