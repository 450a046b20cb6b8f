package utp

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// PacketType is the high nibble of a header's first byte.
type PacketType uint8

// The five packet types of BEP 29.
const (
	TypeData  PacketType = 0
	TypeFin   PacketType = 1
	TypeState PacketType = 2
	TypeReset PacketType = 3
	TypeSyn   PacketType = 4
	numTypes             = 5
)

var typeNames = [numTypes]string{"DATA", "FIN", "STATE", "RESET", "SYN"}

func (t PacketType) String() string {
	if t < numTypes {
		return typeNames[t]
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

const (
	// HeaderSize is the fixed header: type/ver, extension, connection_id,
	// timestamp_us, timestamp_diff_us, wnd_size, seq_nr, ack_nr.
	HeaderSize = 20
	// Version is the only protocol version there is.
	Version = 1
)

// Header is the fixed 20-byte uTP header (all fields big-endian on the
// wire). The extension byte is not here: Packet derives it from the
// extensions it carries.
type Header struct {
	Type            PacketType
	ConnID          uint16
	TimestampMicros uint32
	// TimestampDiffMicros is the sender's last measured one-way delay:
	// its receive time minus our timestamp, both in its and our clocks.
	TimestampDiffMicros uint32
	WndSize             uint32
	SeqNr               uint16
	AckNr               uint16
}

// Errors of ParsePacket. Callers only need to know the packet is not uTP;
// the kinds are kept apart for counters (libtorrent's utp_invalid_pkts_in).
var (
	ErrShortPacket  = errors.New("utp: packet shorter than a header")
	ErrVersion      = errors.New("utp: unsupported version")
	ErrPacketType   = errors.New("utp: unknown packet type")
	ErrBadExtension = errors.New("utp: extension runs past the packet")
)

func parseHeader(b []byte) (Header, uint8, error) {
	if len(b) < HeaderSize {
		return Header{}, 0, ErrShortPacket
	}
	if b[0]&0x0f != Version {
		return Header{}, 0, ErrVersion
	}
	t := PacketType(b[0] >> 4)
	if t >= numTypes {
		return Header{}, 0, ErrPacketType
	}
	return Header{
		Type:                t,
		ConnID:              binary.BigEndian.Uint16(b[2:]),
		TimestampMicros:     binary.BigEndian.Uint32(b[4:]),
		TimestampDiffMicros: binary.BigEndian.Uint32(b[8:]),
		WndSize:             binary.BigEndian.Uint32(b[12:]),
		SeqNr:               binary.BigEndian.Uint16(b[16:]),
		AckNr:               binary.BigEndian.Uint16(b[18:]),
	}, b[1], nil
}

func (h *Header) appendTo(dst []byte, extension uint8) []byte {
	dst = append(dst, byte(h.Type)<<4|Version, extension)
	dst = binary.BigEndian.AppendUint16(dst, h.ConnID)
	dst = binary.BigEndian.AppendUint32(dst, h.TimestampMicros)
	dst = binary.BigEndian.AppendUint32(dst, h.TimestampDiffMicros)
	dst = binary.BigEndian.AppendUint32(dst, h.WndSize)
	dst = binary.BigEndian.AppendUint16(dst, h.SeqNr)
	return binary.BigEndian.AppendUint16(dst, h.AckNr)
}
