// Package metadata speaks the two extensions that let a peer join a swarm
// from a magnet link: the BEP 10 extension handshake and BEP 9's
// ut_metadata messages (request, data, reject), plus the pure state needed
// to use them — a Fetcher that assembles and verifies the info dictionary
// from several peers, and a Server that answers other peers' requests.
//
// Codecs work on the payload of wire message 20 after its one-byte extended
// id (wire.Message.Payload); the envelope is internal/wire's business.
// Everything here is pure: no I/O, no goroutines, time passed in.
package metadata

import "errors"

// PieceSize is the size of every metadata piece but the last (BEP 9).
const PieceSize = 16 << 10

// DefaultMaxMetadataSize is the largest info dictionary the Fetcher accepts
// unless configured otherwise: libtorrent's max_metadata_size default
// (3 * 1024 * 10240 bytes, 30 MiB). libtorrent pre-allocates only for
// handshake hints up to 4 MiB; the Fetcher allocates piece by piece as data
// arrives, so one limit suffices.
const DefaultMaxMetadataSize = 3 * 1024 * 10240

// Extension names used in the handshake's "m" dictionary.
const (
	ExtUTMetadata = "ut_metadata"
	ExtUTPex      = "ut_pex"
)

// UTMetadataID is the id we ask peers to use for ut_metadata messages sent
// to us, the same as libtorrent's, so packet captures read alike.
const UTMetadataID = 2

// HandshakeID is the extended message id of the extension handshake itself.
const HandshakeID = 0

// Errors returned by the codecs. Every error wraps exactly one of them.
var (
	// ErrTooLarge means a handshake or ut_metadata message is longer than
	// its limit (MaxHandshakeLen, MaxMessageLen).
	ErrTooLarge = errors.New("metadata: message too large")
	// ErrMalformed means the payload is not a bencoded dictionary, or a
	// required key is missing or of the wrong type or range.
	ErrMalformed = errors.New("metadata: malformed message")
	// ErrUnknownType means a ut_metadata msg_type other than 0, 1 or 2.
	// BEP 9 says such messages are to be ignored, not treated as errors.
	ErrUnknownType = errors.New("metadata: unknown ut_metadata msg_type")
)

// Errors returned by Fetcher.AddPeer: the peer is not used for the fetch.
var (
	// ErrNoMetadata means the peer advertised no metadata_size: it does
	// not have the metadata (yet).
	ErrNoMetadata = errors.New("metadata: peer has no metadata")
	// ErrBadSize means an advertised metadata_size is negative or larger
	// than the configured maximum.
	ErrBadSize = errors.New("metadata: absurd metadata_size")
	// ErrInconsistentSize means a peer changed its metadata_size; it is
	// removed from the fetch.
	ErrInconsistentSize = errors.New("metadata: peer changed metadata_size")
	// ErrBanned means the peer already sent metadata that failed
	// verification during this fetch.
	ErrBanned = errors.New("metadata: peer sent bad metadata")
)

// numPieces is how many PieceSize pieces make size bytes.
func numPieces(size int64) int {
	return int((size + PieceSize - 1) / PieceSize)
}

// pieceLen is the length of piece i of a size-byte info dictionary.
func pieceLen(size int64, i int) int {
	return int(min(PieceSize, size-int64(i)*PieceSize))
}
