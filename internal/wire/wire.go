// Package wire encodes and decodes the BitTorrent peer wire protocol
// (BEP 3), including the message IDs of the fast extension (BEP 6), the
// extension protocol envelope (BEP 10) and the DHT port message (BEP 5).
//
// The package is pure: it does no networking of its own and starts no
// goroutines. Decoding works on any io.Reader; encoding appends to a
// caller-owned byte slice so writers can reuse buffers and stay
// allocation-free.
package wire

import "errors"

// Protocol is the protocol string sent in the handshake.
const Protocol = "BitTorrent protocol"

// HandshakeLen is the length of a BitTorrent handshake in bytes:
// 1 (pstrlen) + 19 (pstr) + 8 (reserved) + 20 (info hash) + 20 (peer id).
const HandshakeLen = 68

// BlockSize is the conventional request size (16 KiB). Peers commonly
// drop connections that request more, so it is the size we request.
const BlockSize = 16 * 1024

// DefaultMaxMessageLen is the default limit for a message's length prefix.
// It admits a bitfield for a torrent of 8M pieces and a Piece message
// carrying up to 1 MiB, while a prefix beyond it is rejected before the
// body is read so a hostile peer cannot make us allocate gigabytes.
const DefaultMaxMessageLen = 1<<20 + 13

// Reserved-byte capability bits of the handshake. Byte indexes count from
// the start of the 8-byte Reserved field.
const (
	// ReservedExtensionByte and ReservedExtensionBit flag BEP 10 extension
	// protocol support (bit 20 counted from the right).
	ReservedExtensionByte = 5
	ReservedExtensionBit  = 0x10
	// ReservedFastByte and ReservedFastBit flag BEP 6 fast extension support.
	ReservedFastByte = 7
	ReservedFastBit  = 0x04
	// ReservedDHTByte and ReservedDHTBit flag BEP 5 DHT support.
	ReservedDHTByte = 7
	ReservedDHTBit  = 0x01
)

// Errors returned by this package. They are sentinels for errors.Is; the
// returned errors wrap them with context.
var (
	// ErrBadProtocol means the handshake's pstrlen or pstr is not
	// "\x13BitTorrent protocol".
	ErrBadProtocol = errors.New("wire: bad protocol string")
	// ErrMessageTooLong means a length prefix exceeded Reader.MaxMessageLen.
	// The body has not been read, so the stream is out of sync and the
	// connection must be dropped.
	ErrMessageTooLong = errors.New("wire: message too long")
	// ErrBadLength means a message whose size is fixed by the protocol
	// (or has a minimum size) arrived with a different length.
	ErrBadLength = errors.New("wire: bad message length")
	// ErrUnknownMessage is not returned by Reader (unknown IDs are handed
	// to the caller); it exists so callers can report an unexpected ID
	// with a shared sentinel.
	ErrUnknownMessage = errors.New("wire: unknown message")
)
