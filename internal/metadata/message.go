package metadata

import (
	"fmt"
	"math"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// MaxMessageLen is the longest ut_metadata payload accepted: a full piece
// plus room for its dictionary. libtorrent disconnects peers whose
// ut_metadata message exceeds 17 KiB; so do we.
const MaxMessageLen = 17 << 10

// MsgType is a ut_metadata msg_type.
type MsgType int

// The three ut_metadata message types of BEP 9.
const (
	MsgRequest MsgType = 0
	MsgData    MsgType = 1
	MsgReject  MsgType = 2
)

func (t MsgType) String() string {
	switch t {
	case MsgRequest:
		return "request"
	case MsgData:
		return "data"
	case MsgReject:
		return "reject"
	}
	return fmt.Sprintf("msg_type(%d)", int(t))
}

// Message is one ut_metadata message.
type Message struct {
	Type  MsgType
	Piece int
	// TotalSize is the info dictionary's size. Data messages carry it;
	// libtorrent also puts it on rejects when it has the metadata. 0 if
	// absent.
	TotalSize int64
	// Data is the piece of a data message: the bytes after the bencoded
	// dictionary. ParseMessage returns a sub-slice of its input.
	Data []byte
}

// messageLimits bound the pre-scan of the dictionary part. It is three
// integers in practice; a few unknown keys are tolerated.
var messageLimits = bencodex.Limits{
	MaxDepth:      4,
	MaxStringLen:  MaxMessageLen,
	MaxItems:      64,
	MaxSize:       MaxMessageLen,
	AllowTrailing: true, // a data message's piece follows the dictionary
}

// ParseMessage decodes a ut_metadata payload. msg_type and piece are
// required; an unknown msg_type returns the message with ErrUnknownType,
// which callers should ignore (BEP 9). Bytes after the dictionary are the
// piece for data messages and are ignored for the others.
func ParseMessage(payload []byte) (Message, error) {
	var m Message
	if len(payload) > MaxMessageLen {
		return m, fmt.Errorf("%w: ut_metadata message of %d bytes", ErrTooLarge, len(payload))
	}
	end, err := bencodex.Scan(payload, messageLimits)
	if err != nil {
		return m, fmt.Errorf("%w: ut_metadata: %w", ErrMalformed, err)
	}
	var haveType, havePiece bool
	isDict, err := bencodex.DictEach(payload[:end], func(key string, raw []byte) (bool, error) {
		n, isInt := bencodex.Int(raw)
		switch key {
		case "msg_type":
			if !haveType && isInt && n >= 0 && n <= math.MaxInt32 {
				m.Type, haveType = MsgType(n), true
			}
		case "piece":
			if !havePiece && isInt && n >= 0 && n <= math.MaxInt32 {
				m.Piece, havePiece = int(n), true
			}
		case "total_size":
			if m.TotalSize == 0 && isInt && n > 0 {
				m.TotalSize = n
			}
		}
		return true, nil
	})
	if err != nil || !isDict {
		return Message{}, fmt.Errorf("%w: ut_metadata message is not a dictionary", ErrMalformed)
	}
	if !haveType || !havePiece {
		return Message{}, fmt.Errorf("%w: ut_metadata message lacks msg_type or piece", ErrMalformed)
	}
	switch m.Type {
	case MsgData:
		m.Data = payload[end:]
		if len(m.Data) > PieceSize {
			return Message{}, fmt.Errorf("%w: ut_metadata piece of %d bytes", ErrTooLarge, len(m.Data))
		}
	case MsgRequest, MsgReject:
	default:
		return m, fmt.Errorf("%w: %d", ErrUnknownType, int(m.Type))
	}
	return m, nil
}

// AppendMessage appends the payload of m to dst: the dictionary, then Data
// for a data message. It refuses what ParseMessage would refuse.
func AppendMessage(dst []byte, m Message) ([]byte, error) {
	switch {
	case m.Type != MsgRequest && m.Type != MsgData && m.Type != MsgReject:
		return dst, fmt.Errorf("%w: %d", ErrUnknownType, int(m.Type))
	case m.Piece < 0 || int64(m.Piece) > math.MaxInt32 || m.TotalSize < 0:
		return dst, fmt.Errorf("%w: piece %d, total_size %d", ErrMalformed, m.Piece, m.TotalSize)
	case m.Type != MsgData && len(m.Data) > 0:
		return dst, fmt.Errorf("%w: %v message with data", ErrMalformed, m.Type)
	case len(m.Data) > PieceSize:
		return dst, fmt.Errorf("%w: piece of %d bytes", ErrTooLarge, len(m.Data))
	}
	dst = append(dst, 'd')
	dst = appendStr(dst, "msg_type")
	dst = appendInt(dst, int64(m.Type))
	dst = appendStr(dst, "piece")
	dst = appendInt(dst, int64(m.Piece))
	if m.TotalSize > 0 {
		dst = appendStr(dst, "total_size")
		dst = appendInt(dst, m.TotalSize)
	}
	dst = append(dst, 'e')
	return append(dst, m.Data...), nil
}
