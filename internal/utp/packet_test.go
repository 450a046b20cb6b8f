package utp

import (
	"bytes"
	"errors"
	"testing"
)

// A SYN as libtorrent 2.0.8 sends it (send_syn): no extension, wnd_size 0,
// ack_nr 0, connection_id = the id it expects replies on.
var libtorrentSYN = []byte{
	0x41, 0x00, 0x30, 0x39, // SYN, v1, no extension, id 12345
	0x00, 0x0f, 0x42, 0x40, // timestamp 1000000
	0x00, 0x00, 0x00, 0x00, // timestamp diff
	0x00, 0x00, 0x00, 0x00, // wnd_size 0
	0xbe, 0xef, 0x00, 0x00, // seq 0xbeef, ack 0
}

func TestParseLibtorrentSYN(t *testing.T) {
	p, err := ParsePacket(libtorrentSYN)
	if err != nil {
		t.Fatal(err)
	}
	want := Header{Type: TypeSyn, ConnID: 12345, TimestampMicros: 1000000, SeqNr: 0xbeef}
	if p.Header != want || p.SACK != nil || p.HasCloseReason || len(p.Payload) != 0 {
		t.Fatalf("got %+v", p)
	}
	if got := p.AppendTo(nil); !bytes.Equal(got, libtorrentSYN) {
		t.Fatalf("re-encoded %x, want %x", got, libtorrentSYN)
	}
}

func TestParseExtensions(t *testing.T) {
	hdr := func(ext byte) []byte {
		h := Header{Type: TypeState, ConnID: 7, SeqNr: 10, AckNr: 20, WndSize: 1 << 20}
		return h.appendTo(nil, ext)
	}
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	tests := []struct {
		name    string
		in      []byte
		err     error
		sack    []byte
		reason  uint16
		hasCR   bool
		payload []byte
	}{
		{name: "none", in: cat(hdr(0), []byte("data")), payload: []byte("data")},
		// libtorrent writes (span+7)/8 bytes, not a multiple of 4.
		{name: "sack 1 byte", in: cat(hdr(1), []byte{0, 1, 0x05}), sack: []byte{0x05}},
		{name: "sack 4 bytes then payload", in: cat(hdr(1), []byte{0, 4, 1, 2, 3, 4}, []byte("x")), sack: []byte{1, 2, 3, 4}, payload: []byte("x")},
		{name: "sack then close reason", in: cat(hdr(1), []byte{3, 1, 0xff}, []byte{0, 4, 0, 0, 0x01, 0x02}), sack: []byte{0xff}, reason: 0x0102, hasCR: true},
		{name: "close reason alone", in: cat(hdr(3), []byte{0, 4, 0xaa, 0xbb, 0, 9}), reason: 9, hasCR: true},
		{name: "close reason wrong length ignored", in: cat(hdr(3), []byte{0, 2, 0, 9}), hasCR: false},
		{name: "unknown type 2 skipped", in: cat(hdr(2), []byte{1, 3, 9, 9, 9}, []byte{0, 1, 0x80}), sack: []byte{0x80}},
		{name: "unknown type 200 skipped", in: cat(hdr(200), []byte{0, 0}, []byte("p")), payload: []byte("p")},
		{name: "zero-length sack", in: cat(hdr(1), []byte{0, 0}), sack: []byte{}},
		{name: "truncated chain", in: cat(hdr(1), []byte{0}), err: ErrBadExtension},
		{name: "length past end", in: cat(hdr(1), []byte{0, 5, 1, 2}), err: ErrBadExtension},
		{name: "chain past end", in: cat(hdr(1), []byte{1, 1, 0xff}), err: ErrBadExtension},
		{name: "short", in: hdr(0)[:19], err: ErrShortPacket},
		{name: "version 2", in: append([]byte{0x22}, hdr(0)[1:]...), err: ErrVersion},
		{name: "type 5", in: append([]byte{0x51}, hdr(0)[1:]...), err: ErrPacketType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePacket(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if (p.SACK == nil) != (tt.sack == nil) || !bytes.Equal(p.SACK, tt.sack) {
				t.Errorf("SACK = %x (nil %v), want %x", p.SACK, p.SACK == nil, tt.sack)
			}
			if p.HasCloseReason != tt.hasCR || p.CloseReason != tt.reason {
				t.Errorf("close reason = %v %d, want %v %d", p.HasCloseReason, p.CloseReason, tt.hasCR, tt.reason)
			}
			if !bytes.Equal(p.Payload, tt.payload) {
				t.Errorf("payload = %q, want %q", p.Payload, tt.payload)
			}
		})
	}
}

func TestAppendPadsSACK(t *testing.T) {
	tests := []struct {
		sackLen, wireLen int
	}{{0, 0}, {1, 4}, {4, 4}, {5, 8}, {250, 252}, {252, 252}, {300, 252}}
	for _, tt := range tests {
		p := Packet{Header: Header{Type: TypeState}, SACK: bytes.Repeat([]byte{0xff}, tt.sackLen)}
		b := p.AppendTo(nil)
		if len(b) != p.EncodedLen() {
			t.Fatalf("len %d != EncodedLen %d", len(b), p.EncodedLen())
		}
		if b[1] != ExtSACK || int(b[21]) != tt.wireLen || len(b) != HeaderSize+2+tt.wireLen {
			t.Fatalf("sack %d: ext %d len byte %d total %d", tt.sackLen, b[1], b[21], len(b))
		}
		q, err := ParsePacket(b)
		if err != nil {
			t.Fatal(err)
		}
		kept := min(tt.sackLen, 252)
		if !bytes.Equal(q.SACK[:kept], p.SACK[:kept]) || !bytes.Equal(q.SACK[kept:], make([]byte, len(q.SACK)-kept)) {
			t.Fatalf("sack %d: got %x", tt.sackLen, q.SACK)
		}
	}
}

// TestRoundTrip: every field survives encode then parse.
func TestRoundTrip(t *testing.T) {
	packets := []Packet{
		{Header: Header{Type: TypeData, ConnID: 0xffff, TimestampMicros: 0xffffffff, TimestampDiffMicros: 1, WndSize: 1 << 20, SeqNr: 0xffff, AckNr: 0}, Payload: []byte("hello")},
		{Header: Header{Type: TypeFin, SeqNr: 1, AckNr: 2}, SACK: []byte{1, 0, 0, 0x80}},
		{Header: Header{Type: TypeReset, ConnID: 1}, CloseReason: 3, HasCloseReason: true},
		{Header: Header{Type: TypeState, AckNr: 9}, SACK: []byte{0xaa, 0x55, 0, 1, 2, 3, 4, 5}, CloseReason: 0xffff, HasCloseReason: true, Payload: []byte{0}},
	}
	for _, p := range packets {
		q, err := ParsePacket(p.AppendTo(nil))
		if err != nil {
			t.Fatal(err)
		}
		if !packetsEqual(p, q) {
			t.Fatalf("round trip: %+v -> %+v", p, q)
		}
	}
}

// packetsEqual compares parsed packets, treating SACK padding (trailing
// zero bytes) as insignificant and nil SACK apart from an empty one.
func packetsEqual(a, b Packet) bool {
	if a.Header != b.Header || a.HasCloseReason != b.HasCloseReason || a.CloseReason != b.CloseReason ||
		!bytes.Equal(a.Payload, b.Payload) || (a.SACK == nil) != (b.SACK == nil) {
		return false
	}
	return bytes.Equal(bytes.TrimRight(a.SACK, "\x00"), bytes.TrimRight(b.SACK, "\x00"))
}

func TestSACKBits(t *testing.T) {
	const ack = 0xfffe // bits straddle the wrap: ack+2 = 0
	received := map[uint16]bool{0: true, 2: true, 9: true, 31: true}
	mask := AppendSACK(nil, ack, 32, func(s uint16) bool { return received[s] })
	if want := []byte{0x05, 0x02, 0x00, 0x80}; !bytes.Equal(mask, want) {
		t.Fatalf("mask %x, want %x", mask, want)
	}
	for i := 0; i < 40; i++ {
		s := SACKSeq(ack, i)
		if got := SACKHas(mask, ack, s); got != received[s] {
			t.Errorf("SACKHas(seq %d) = %v", s, got)
		}
	}
	// Sequence numbers at or before ack+1 are never in the mask.
	if SACKHas(mask, ack, ack+1) || SACKHas(mask, ack, ack) {
		t.Error("mask claims ack or ack+1")
	}
	if got := AppendSACK(nil, 0, 9, func(uint16) bool { return true }); len(got) != 4 {
		t.Errorf("9 bits take %d bytes, want 4", len(got))
	}
}
