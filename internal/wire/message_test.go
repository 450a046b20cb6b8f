package wire

import (
	"bytes"
	"encoding/hex"
	"testing"
)

func TestMessageIDString(t *testing.T) {
	tests := []struct {
		id   MessageID
		want string
	}{
		{Choke, "choke"}, {Unchoke, "unchoke"}, {Interested, "interested"},
		{NotInterested, "not_interested"}, {Have, "have"}, {BitfieldMsg, "bitfield"},
		{Request, "request"}, {Piece, "piece"}, {Cancel, "cancel"}, {Port, "port"},
		{Suggest, "suggest"}, {HaveAll, "have_all"}, {HaveNone, "have_none"},
		{Reject, "reject"}, {AllowedFast, "allowed_fast"}, {Extended, "extended"},
		{10, "unknown(10)"}, {255, "unknown(255)"},
	}
	for _, tt := range tests {
		if got := tt.id.String(); got != tt.want {
			t.Errorf("%d: got %q, want %q", tt.id, got, tt.want)
		}
	}
}

// encodingTests pins the exact bytes of every message kind; the reader
// tests decode the same bytes back.
var encodingTests = []struct {
	name string
	m    Message
	hex  string
}{
	{"keepalive", Message{KeepAlive: true}, "00000000"},
	{"choke", Message{ID: Choke}, "0000000100"},
	{"unchoke", Message{ID: Unchoke}, "0000000101"},
	{"interested", Message{ID: Interested}, "0000000102"},
	{"not interested", Message{ID: NotInterested}, "0000000103"},
	{"have", Message{ID: Have, Index: 0x01020304}, "000000050401020304"},
	{"bitfield", Message{ID: BitfieldMsg, Bitfield: []byte{0xff, 0x80}}, "0000000305ff80"},
	{"bitfield empty", Message{ID: BitfieldMsg, Bitfield: []byte{}}, "0000000105"},
	{"request", Message{ID: Request, Index: 1, Begin: 0x4000, Length: 0x4000},
		"0000000d06000000010000400000004000"},
	{"piece", Message{ID: Piece, Index: 2, Begin: 3, Block: []byte("abc"), Length: 3},
		"0000000c070000000200000003616263"},
	{"piece empty", Message{ID: Piece, Index: 2, Begin: 3, Block: []byte{}}, "00000009070000000200000003"},
	{"cancel", Message{ID: Cancel, Index: 7, Begin: 8, Length: 9}, "0000000d08000000070000000800000009"},
	{"port", Message{ID: Port, Port: 6881}, "00000003091ae1"},
	{"suggest", Message{ID: Suggest, Index: 5}, "000000050d00000005"},
	{"have all", Message{ID: HaveAll}, "000000010e"},
	{"have none", Message{ID: HaveNone}, "000000010f"},
	{"reject", Message{ID: Reject, Index: 1, Begin: 2, Length: 3}, "0000000d10000000010000000200000003"},
	{"allowed fast", Message{ID: AllowedFast, Index: 42}, "00000005110000002a"},
	{"extended", Message{ID: Extended, ExtendedID: 0, Payload: []byte("d1:ei0ee")},
		"0000000a140064313a6569306565"},
	{"extended empty", Message{ID: Extended, ExtendedID: 3, Payload: []byte{}}, "000000021403"},
	{"unknown", Message{ID: 99, Payload: []byte{1, 2}}, "00000003630102"},
	{"unknown empty", Message{ID: 10, Payload: []byte{}}, "000000010a"},
}

func TestAppendMessage(t *testing.T) {
	for _, tt := range encodingTests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := hex.DecodeString(tt.hex)
			if err != nil {
				t.Fatal(err)
			}
			prefix := []byte("xy")
			got := AppendMessage(append([]byte(nil), prefix...), tt.m)
			if !bytes.Equal(got[:2], prefix) || !bytes.Equal(got[2:], want) {
				t.Fatalf("got %x, want xy+%x", got, want)
			}
		})
	}
}

func TestAppendHelpers(t *testing.T) {
	if got := AppendKeepAlive(nil); !bytes.Equal(got, []byte{0, 0, 0, 0}) {
		t.Errorf("keepalive %x", got)
	}
	if got, want := AppendHave(nil, 9), AppendMessage(nil, Message{ID: Have, Index: 9}); !bytes.Equal(got, want) {
		t.Errorf("have %x != %x", got, want)
	}
	if got, want := AppendRequest(nil, 1, 2, 3), AppendMessage(nil, Message{ID: Request, Index: 1, Begin: 2, Length: 3}); !bytes.Equal(got, want) {
		t.Errorf("request %x != %x", got, want)
	}
	block := bytes.Repeat([]byte{7}, BlockSize)
	hdr := AppendPieceHeader(nil, 4, 5, len(block))
	if len(hdr) != 13 {
		t.Fatalf("piece header len %d", len(hdr))
	}
	full := AppendMessage(nil, Message{ID: Piece, Index: 4, Begin: 5, Block: block})
	if !bytes.Equal(append(hdr, block...), full) {
		t.Error("piece header + block != full piece message")
	}
}

func TestAppendDoesNotAllocateWithCapacity(t *testing.T) {
	buf := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() {
		b := AppendRequest(buf[:0], 1, 2, 3)
		b = AppendHave(b, 4)
		b = AppendPieceHeader(b, 1, 2, BlockSize)
		_ = AppendKeepAlive(b)
	})
	if allocs != 0 {
		t.Fatalf("allocs = %v", allocs)
	}
}
