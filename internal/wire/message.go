package wire

import (
	"encoding/binary"
	"strconv"
)

// MessageID is the one-byte type that follows a message's length prefix.
type MessageID uint8

// Message IDs from BEP 3 (0-8), BEP 5 (Port), BEP 6 (13-17) and BEP 10
// (Extended).
const (
	Choke         MessageID = 0
	Unchoke       MessageID = 1
	Interested    MessageID = 2
	NotInterested MessageID = 3
	Have          MessageID = 4
	BitfieldMsg   MessageID = 5
	Request       MessageID = 6
	Piece         MessageID = 7
	Cancel        MessageID = 8
	Port          MessageID = 9
	Suggest       MessageID = 13
	HaveAll       MessageID = 14
	HaveNone      MessageID = 15
	Reject        MessageID = 16
	AllowedFast   MessageID = 17
	Extended      MessageID = 20
)

// String returns the protocol name of id, or "unknown(N)".
func (id MessageID) String() string {
	switch id {
	case Choke:
		return "choke"
	case Unchoke:
		return "unchoke"
	case Interested:
		return "interested"
	case NotInterested:
		return "not_interested"
	case Have:
		return "have"
	case BitfieldMsg:
		return "bitfield"
	case Request:
		return "request"
	case Piece:
		return "piece"
	case Cancel:
		return "cancel"
	case Port:
		return "port"
	case Suggest:
		return "suggest"
	case HaveAll:
		return "have_all"
	case HaveNone:
		return "have_none"
	case Reject:
		return "reject"
	case AllowedFast:
		return "allowed_fast"
	case Extended:
		return "extended"
	}
	return "unknown(" + strconv.Itoa(int(id)) + ")"
}

// Message is a decoded message. Which fields are meaningful depends on ID;
// if KeepAlive is true no other field is.
//
//   - Have, Suggest, AllowedFast: Index.
//   - Request, Cancel, Reject: Index, Begin, Length.
//   - Piece: Index, Begin, Block; Length = len(Block).
//   - BitfieldMsg: Bitfield (raw bytes; see package bitfield to validate).
//   - Port: Port.
//   - Extended: ExtendedID and Payload (bytes after the extended ID).
//   - Any other ID: Payload holds everything after the ID byte.
type Message struct {
	KeepAlive            bool
	ID                   MessageID
	Index, Begin, Length uint32
	Block                []byte
	Bitfield             []byte
	Port                 uint16
	ExtendedID           uint8
	Payload              []byte
}

// fixedPayloadLen returns the number of bytes after the ID byte for a known
// fixed-size message, or -1 if the size is variable or the ID unknown.
func fixedPayloadLen(id MessageID) int {
	switch id {
	case Choke, Unchoke, Interested, NotInterested, HaveAll, HaveNone:
		return 0
	case Have, Suggest, AllowedFast:
		return 4
	case Request, Cancel, Reject:
		return 12
	case Port:
		return 2
	}
	return -1
}

// AppendKeepAlive appends a keep-alive (a zero length prefix) to b.
func AppendKeepAlive(b []byte) []byte {
	return append(b, 0, 0, 0, 0)
}

// AppendMessage appends the wire form of m to b. It encodes any ID: known
// IDs from their typed fields, unknown IDs from Payload. For Piece the
// length comes from len(Block), not from Length.
func AppendMessage(b []byte, m Message) []byte {
	if m.KeepAlive {
		return AppendKeepAlive(b)
	}
	switch m.ID {
	case Choke, Unchoke, Interested, NotInterested, HaveAll, HaveNone:
		return appendHeader(b, 1, m.ID)
	case Have, Suggest, AllowedFast:
		b = appendHeader(b, 5, m.ID)
		return binary.BigEndian.AppendUint32(b, m.Index)
	case Request, Cancel, Reject:
		b = appendHeader(b, 13, m.ID)
		b = binary.BigEndian.AppendUint32(b, m.Index)
		b = binary.BigEndian.AppendUint32(b, m.Begin)
		return binary.BigEndian.AppendUint32(b, m.Length)
	case Piece:
		b = AppendPieceHeader(b, m.Index, m.Begin, len(m.Block))
		return append(b, m.Block...)
	case BitfieldMsg:
		b = appendHeader(b, 1+len(m.Bitfield), m.ID)
		return append(b, m.Bitfield...)
	case Port:
		b = appendHeader(b, 3, m.ID)
		return binary.BigEndian.AppendUint16(b, m.Port)
	case Extended:
		b = appendHeader(b, 2+len(m.Payload), m.ID)
		b = append(b, m.ExtendedID)
		return append(b, m.Payload...)
	}
	b = appendHeader(b, 1+len(m.Payload), m.ID)
	return append(b, m.Payload...)
}

// AppendPieceHeader appends the 13-byte header of a Piece message whose
// block of blockLen bytes the caller writes separately (e.g. with
// net.Buffers), so blocks need not be copied into the send buffer.
func AppendPieceHeader(b []byte, index, begin uint32, blockLen int) []byte {
	b = appendHeader(b, 9+blockLen, Piece)
	b = binary.BigEndian.AppendUint32(b, index)
	return binary.BigEndian.AppendUint32(b, begin)
}

// AppendRequest appends a Request message to b.
func AppendRequest(b []byte, index, begin, length uint32) []byte {
	return AppendMessage(b, Message{ID: Request, Index: index, Begin: begin, Length: length})
}

// AppendHave appends a Have message to b.
func AppendHave(b []byte, index uint32) []byte {
	b = appendHeader(b, 5, Have)
	return binary.BigEndian.AppendUint32(b, index)
}

// appendHeader appends the 4-byte length prefix (which counts the ID byte)
// followed by the ID.
func appendHeader(b []byte, length int, id MessageID) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(length))
	return append(b, byte(id))
}
