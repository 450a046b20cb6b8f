package wire

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// readBufSize is the bufio buffer size: several 16 KiB blocks, so a burst
// of small messages costs one read system call.
const readBufSize = 64 * 1024

// Reader decodes length-prefixed messages from a stream. It buffers
// internally, so once a Reader wraps a connection all further reads must go
// through it. A Reader is not safe for concurrent use.
type Reader struct {
	// MaxMessageLen is the largest accepted length prefix. Larger prefixes
	// fail with ErrMessageTooLong before the body is read.
	MaxMessageLen uint32

	br    *bufio.Reader
	alloc func(n int) []byte
	hdr   [4 + 1 + 12]byte // length prefix, ID and the largest fixed payload
}

// NewReader returns a Reader on r with MaxMessageLen = DefaultMaxMessageLen.
func NewReader(r io.Reader) *Reader {
	return &Reader{
		MaxMessageLen: DefaultMaxMessageLen,
		br:            bufio.NewReaderSize(r, readBufSize),
	}
}

// SetAlloc sets the allocator for Piece blocks, typically backed by a pool
// of 16 KiB buffers. ReadMessage calls alloc(n) for a block of n > 0 bytes
// and returns Message.Block exactly n bytes long, owned by the caller. If
// alloc returns a slice with capacity below n, a fresh slice is used
// instead. Other payloads always use fresh slices, so the caller owns every
// slice in a Message. A nil alloc restores plain allocation.
func (r *Reader) SetAlloc(alloc func(n int) []byte) {
	r.alloc = alloc
}

// ReadMessage reads one message.
//
// At a clean end of stream (between messages) it returns io.EOF itself; a
// stream cut inside a message gives io.ErrUnexpectedEOF. A length prefix over MaxMessageLen returns
// ErrMessageTooLong without reading the body. A known fixed-size message
// with the wrong length (or a Piece/Extended message shorter than its
// header) returns ErrBadLength after its body has been skipped, so the
// stream stays framed. Unknown IDs are not errors: the Message has ID set
// and Payload holding the body, and the caller decides.
func (r *Reader) ReadMessage() (Message, error) {
	if _, err := io.ReadFull(r.br, r.hdr[:4]); err != nil {
		if err == io.EOF {
			// Unwrapped, like io.Reader, so err == io.EOF works too.
			return Message{}, io.EOF
		}
		return Message{}, fmt.Errorf("wire: read length: %w", err)
	}
	length := binary.BigEndian.Uint32(r.hdr[:4])
	if length == 0 {
		return Message{KeepAlive: true}, nil
	}
	if length > r.MaxMessageLen {
		return Message{}, fmt.Errorf("wire: length %d > %d: %w", length, r.MaxMessageLen, ErrMessageTooLong)
	}
	idByte, err := r.br.ReadByte()
	if err != nil {
		return Message{}, bodyErr(err)
	}
	m := Message{ID: MessageID(idByte)}
	n := int(length) - 1 // payload bytes after the ID

	if want := fixedPayloadLen(m.ID); want >= 0 {
		if n != want {
			return Message{}, r.badLength(m.ID, n)
		}
		p := r.hdr[5 : 5+n]
		if _, err := io.ReadFull(r.br, p); err != nil {
			return Message{}, bodyErr(err)
		}
		decodeFixed(&m, p)
		return m, nil
	}

	switch m.ID {
	case Piece:
		if n < 8 {
			return Message{}, r.badLength(m.ID, n)
		}
		p := r.hdr[5:13]
		if _, err := io.ReadFull(r.br, p); err != nil {
			return Message{}, bodyErr(err)
		}
		m.Index = binary.BigEndian.Uint32(p[0:4])
		m.Begin = binary.BigEndian.Uint32(p[4:8])
		m.Block, err = r.readBody(n-8, r.alloc)
		m.Length = uint32(len(m.Block))
	case BitfieldMsg:
		m.Bitfield, err = r.readBody(n, nil)
	case Extended:
		if n < 1 {
			return Message{}, r.badLength(m.ID, n)
		}
		if m.ExtendedID, err = r.br.ReadByte(); err != nil {
			return Message{}, bodyErr(err)
		}
		m.Payload, err = r.readBody(n-1, nil)
	default:
		m.Payload, err = r.readBody(n, nil)
	}
	if err != nil {
		return Message{}, err
	}
	return m, nil
}

// decodeFixed fills the fields of a fixed-size message from payload p,
// whose length has already been checked.
func decodeFixed(m *Message, p []byte) {
	switch m.ID {
	case Have, Suggest, AllowedFast:
		m.Index = binary.BigEndian.Uint32(p)
	case Request, Cancel, Reject:
		m.Index = binary.BigEndian.Uint32(p[0:4])
		m.Begin = binary.BigEndian.Uint32(p[4:8])
		m.Length = binary.BigEndian.Uint32(p[8:12])
	case Port:
		m.Port = binary.BigEndian.Uint16(p)
	}
}

// readBody reads n bytes into a slice from alloc (if non-nil and large
// enough) or a fresh one. n == 0 yields an empty, non-nil slice so that
// "present but empty" is distinguishable from "absent".
func (r *Reader) readBody(n int, alloc func(int) []byte) ([]byte, error) {
	var buf []byte
	if alloc != nil && n > 0 {
		if a := alloc(n); cap(a) >= n {
			buf = a[:n]
		}
	}
	if buf == nil {
		buf = make([]byte, n)
	}
	if _, err := io.ReadFull(r.br, buf); err != nil {
		return nil, bodyErr(err)
	}
	return buf, nil
}

// badLength skips the n remaining payload bytes of a malformed message,
// keeping the stream framed, and returns the ErrBadLength error (or the I/O
// error if the body could not be skipped). The skip is bounded by
// MaxMessageLen, which was checked before.
func (r *Reader) badLength(id MessageID, n int) error {
	if _, err := r.br.Discard(n); err != nil {
		return bodyErr(err)
	}
	return fmt.Errorf("wire: %v with %d payload bytes: %w", id, n, ErrBadLength)
}

// bodyErr wraps a read error inside a message; EOF there means the stream
// was cut mid-message.
func bodyErr(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("wire: read body: %w", err)
}

// Ready reports whether ReadMessage would return without reading from
// the stream: a whole message is buffered (or a length prefix it refuses).
// A reader that hands messages on in batches uses it to hand on what it
// has before it would block: a batch held while the stream waits could
// hold a reply the remote waits for.
func (r *Reader) Ready() bool {
	buffered := r.br.Buffered()
	if buffered < 4 {
		return false
	}
	p, _ := r.br.Peek(4) // buffered: does not read
	length := binary.BigEndian.Uint32(p)
	return length > r.MaxMessageLen || uint64(buffered) >= 4+uint64(length)
}
