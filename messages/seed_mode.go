package messages

import "github.com/asynkron/protoactor-go/actor"

// Seed mode's lazy verification (libtorrent's seed_mode): every piece
// counts as had, and each is hashed the first time it is asked for. The
// torrent decides (internal/seedmode), the disk hashes, and a peer holds
// a request for a piece not verified yet until the torrent says.

// VerifyPiece: a peer holds requests for Piece, which is not verified
// yet; the torrent answers with PieceVerified once it is (at once if it
// already was).
type VerifyPiece struct {
	Key   PeerKey
	Piece int
}

// PieceVerified tells a peer the result of Piece's hash: OK, its held
// requests are served; not OK, they are rejected (the torrent leaves seed
// mode and checks its files). Piece -1 with OK: every piece is verified,
// the peer need not ask again.
type PieceVerified struct {
	Piece int
	OK    bool
}

// DiskVerifyPiece hashes a piece already on disk (as a check does, one
// piece) and answers ReplyTo with DiskVerifyPieceReply.
type DiskVerifyPiece struct {
	InfoHash InfoHash
	Piece    int
	ReplyTo  *actor.PID
}

// DiskVerifyPieceReply answers DiskVerifyPiece. OK means the piece's hash
// matched; Err is a read error other than a missing file (Path and Op
// name it), in which case OK is false.
type DiskVerifyPieceReply struct {
	Piece int
	OK    bool
	Err   error
	Path  string
	Op    string
}
