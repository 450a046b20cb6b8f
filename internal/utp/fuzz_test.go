package utp

import (
	"bytes"
	"testing"
)

// FuzzParsePacket: parsing never panics, and whatever parses re-encodes to a
// packet that parses to the same thing (SACK padding aside) and to the same
// bytes when encoded again.
func FuzzParsePacket(f *testing.F) {
	f.Add(libtorrentSYN)
	f.Add([]byte{})
	for _, p := range []Packet{
		{Header: Header{Type: TypeData, SeqNr: 1, AckNr: 2}, Payload: []byte("x")},
		{Header: Header{Type: TypeState}, SACK: []byte{1, 2, 3, 4}, CloseReason: 5, HasCloseReason: true},
	} {
		f.Add(p.AppendTo(nil))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePacket(data)
		if err != nil {
			return
		}
		once := p.AppendTo(nil)
		if len(once) != p.EncodedLen() {
			t.Fatalf("EncodedLen %d, wrote %d", p.EncodedLen(), len(once))
		}
		q, err := ParsePacket(once)
		if err != nil {
			t.Fatalf("re-encoding does not parse: %v", err)
		}
		if len(p.SACK) <= 252 && !packetsEqual(p, q) {
			t.Fatalf("round trip changed the packet:\n%+v\n%+v", p, q)
		}
		if twice := q.AppendTo(nil); !bytes.Equal(once, twice) {
			t.Fatalf("encoding is not stable: %x then %x", once, twice)
		}
	})
}
