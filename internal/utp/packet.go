package utp

import "encoding/binary"

// Extension types in the chain after the header. Type 2 is skipped by
// libtorrent because a deprecated extension uses it in the wild; any type we
// do not know is skipped, as libtorrent and libutp do.
const (
	extNone        = 0
	ExtSACK        = 1
	ExtCloseReason = 3
)

// closeReasonLen is close_reason's body: 2 reserved bytes then a u16.
const closeReasonLen = 4

// Packet is a parsed datagram: the header, the extensions we understand and
// the payload. SACK and Payload alias the parsed buffer.
type Packet struct {
	Header
	// SACK is the selective-ack bitmask, nil when absent. Bit i (LSB first
	// in each byte) acknowledges AckNr+2+i. Any length is accepted;
	// AppendTo pads it to a multiple of 4 bytes as BEP 29 asks.
	SACK []byte
	// CloseReason is libtorrent's close_reason extension (0 = none).
	CloseReason    uint16
	HasCloseReason bool
	Payload        []byte
}

// ParsePacket decodes one datagram. It never panics and never allocates;
// unknown extensions are skipped, a repeated SACK or close_reason keeps the
// last one.
func ParsePacket(b []byte) (Packet, error) {
	h, ext, err := parseHeader(b)
	if err != nil {
		return Packet{}, err
	}
	p := Packet{Header: h}
	rest := b[HeaderSize:]
	for ext != extNone {
		if len(rest) < 2 {
			return Packet{}, ErrBadExtension
		}
		next, n := rest[0], int(rest[1])
		if len(rest)-2 < n {
			return Packet{}, ErrBadExtension
		}
		body := rest[2 : 2+n : 2+n]
		switch ext {
		case ExtSACK:
			p.SACK = body
		case ExtCloseReason:
			// libtorrent ignores a close_reason of any other length.
			if n == closeReasonLen {
				p.CloseReason = binary.BigEndian.Uint16(body[2:])
				p.HasCloseReason = true
			}
		}
		rest = rest[2+n:]
		ext = next
	}
	p.Payload = rest
	return p, nil
}

// sackMaxLen is the longest SACK we send: the largest multiple of 4 a
// length byte holds.
const sackMaxLen = 252

// sackWireLen is the SACK length we send: padded to a multiple of 4 and
// capped at sackMaxLen.
func sackWireLen(n int) int {
	return min((n+3)&^3, sackMaxLen)
}

// EncodedLen is the size AppendTo writes.
func (p *Packet) EncodedLen() int {
	n := HeaderSize + len(p.Payload)
	if p.SACK != nil {
		n += 2 + sackWireLen(len(p.SACK))
	}
	if p.HasCloseReason {
		n += 2 + closeReasonLen
	}
	return n
}

// AppendTo encodes the packet after dst: header, SACK (zero-padded to a
// multiple of 4, at most 252 bytes), close_reason, payload — the order
// libtorrent writes them in.
func (p *Packet) AppendTo(dst []byte) []byte {
	first := uint8(extNone)
	switch {
	case p.SACK != nil:
		first = ExtSACK
	case p.HasCloseReason:
		first = ExtCloseReason
	}
	dst = p.Header.appendTo(dst, first)
	if p.SACK != nil {
		next := uint8(extNone)
		if p.HasCloseReason {
			next = ExtCloseReason
		}
		n := sackWireLen(len(p.SACK))
		dst = append(dst, next, byte(n))
		m := min(n, len(p.SACK))
		dst = append(dst, p.SACK[:m]...)
		for i := m; i < n; i++ {
			dst = append(dst, 0)
		}
	}
	if p.HasCloseReason {
		dst = append(dst, extNone, closeReasonLen, 0, 0)
		dst = binary.BigEndian.AppendUint16(dst, p.CloseReason)
	}
	return append(dst, p.Payload...)
}
