package wire

import (
	"fmt"
	"io"
)

// Handshake is the fixed 68-byte greeting exchanged by both peers before
// any length-prefixed message.
type Handshake struct {
	Reserved [8]byte
	InfoHash [20]byte
	PeerID   [20]byte
}

// Append appends the 68-byte wire form of h to b.
func (h Handshake) Append(b []byte) []byte {
	b = append(b, byte(len(Protocol)))
	b = append(b, Protocol...)
	b = append(b, h.Reserved[:]...)
	b = append(b, h.InfoHash[:]...)
	return append(b, h.PeerID[:]...)
}

// SupportsExtended reports whether the BEP 10 extension protocol bit is set.
func (h Handshake) SupportsExtended() bool {
	return h.Reserved[ReservedExtensionByte]&ReservedExtensionBit != 0
}

// SupportsFast reports whether the BEP 6 fast extension bit is set.
func (h Handshake) SupportsFast() bool {
	return h.Reserved[ReservedFastByte]&ReservedFastBit != 0
}

// SupportsDHT reports whether the BEP 5 DHT bit is set.
func (h Handshake) SupportsDHT() bool {
	return h.Reserved[ReservedDHTByte]&ReservedDHTBit != 0
}

// WriteHandshake writes h to w in a single Write call, so a net.Conn sends
// it as one segment.
func WriteHandshake(w io.Writer, h Handshake) error {
	var buf [HandshakeLen]byte
	if _, err := w.Write(h.Append(buf[:0])); err != nil {
		return fmt.Errorf("wire: write handshake: %w", err)
	}
	return nil
}

// ReadHandshake reads exactly HandshakeLen bytes from r (it never reads
// further, so r can be handed to NewReader afterwards). It returns
// ErrBadProtocol if pstrlen or pstr mismatch; in that case it stops after
// the 20-byte protocol prefix rather than waiting for bytes a non-BitTorrent
// peer may never send.
func ReadHandshake(r io.Reader) (Handshake, error) {
	var buf [HandshakeLen]byte
	const prefix = 1 + len(Protocol)
	if _, err := io.ReadFull(r, buf[:prefix]); err != nil {
		return Handshake{}, fmt.Errorf("wire: read handshake: %w", err)
	}
	if err := checkProtocol(buf[:prefix]); err != nil {
		return Handshake{}, err
	}
	if _, err := io.ReadFull(r, buf[prefix:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Handshake{}, fmt.Errorf("wire: read handshake: %w", err)
	}
	return decodeHandshake(&buf), nil
}

// ParseHandshake decodes a handshake from the first HandshakeLen bytes of
// b. It returns io.ErrUnexpectedEOF (wrapped) if b is too short.
func ParseHandshake(b []byte) (Handshake, error) {
	if len(b) < HandshakeLen {
		return Handshake{}, fmt.Errorf("wire: parse handshake: %d bytes: %w", len(b), io.ErrUnexpectedEOF)
	}
	if err := checkProtocol(b[:1+len(Protocol)]); err != nil {
		return Handshake{}, err
	}
	return decodeHandshake((*[HandshakeLen]byte)(b[:HandshakeLen])), nil
}

func checkProtocol(p []byte) error {
	if p[0] != byte(len(Protocol)) || string(p[1:]) != Protocol {
		return fmt.Errorf("wire: handshake prefix %q: %w", p, ErrBadProtocol)
	}
	return nil
}

func decodeHandshake(buf *[HandshakeLen]byte) Handshake {
	var h Handshake
	const off = 1 + len(Protocol)
	copy(h.Reserved[:], buf[off:off+8])
	copy(h.InfoHash[:], buf[off+8:off+28])
	copy(h.PeerID[:], buf[off+28:])
	return h
}
