package metadata

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseMessage(t *testing.T) {
	data := bytes.Repeat([]byte{0xab}, PieceSize)
	tests := []struct {
		name string
		in   string
		want Message
	}{
		{"request", "d8:msg_typei0e5:piecei0ee", Message{Type: MsgRequest}},
		{"data", "d8:msg_typei1e5:piecei3e10:total_sizei99999ee" + string(data), Message{Type: MsgData, Piece: 3, TotalSize: 99999, Data: data}},
		{"short data", "d8:msg_typei1e5:piecei0e10:total_sizei3eeabc", Message{Type: MsgData, TotalSize: 3, Data: []byte("abc")}},
		{"reject with total_size", "d8:msg_typei2e5:piecei7e10:total_sizei5ee", Message{Type: MsgReject, Piece: 7, TotalSize: 5}},
		{"request trailing ignored", "d8:msg_typei0e5:piecei1eeJUNK", Message{Type: MsgRequest, Piece: 1}},
		{"extra keys", "d1:x3:abc8:msg_typei0e5:piecei2e1:zli1eee", Message{Type: MsgRequest, Piece: 2}},
		{"unsorted keys", "d5:piecei4e8:msg_typei2ee", Message{Type: MsgReject, Piece: 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMessage([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got.Data == nil && tc.want.Data == nil {
				got.Data = nil
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseMessageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrMalformed},
		{"not a dict", "li1ee", ErrMalformed},
		{"no piece", "d8:msg_typei0ee", ErrMalformed},
		{"no type", "d5:piecei0ee", ErrMalformed},
		{"negative piece", "d8:msg_typei0e5:piecei-1ee", ErrMalformed},
		{"huge piece", "d8:msg_typei0e5:piecei9999999999ee", ErrMalformed},
		{"string type", "d8:msg_type1:05:piecei0ee", ErrMalformed},
		{"unknown type", "d8:msg_typei9e5:piecei0ee", ErrUnknownType},
		{"data too long", "d8:msg_typei1e5:piecei0e10:total_sizei1ee" + strings.Repeat("x", PieceSize+1), ErrTooLarge},
		{"message too long", "d8:msg_typei0e5:piecei0ee" + strings.Repeat("x", MaxMessageLen), ErrTooLarge},
		{"garbage", "d8:msg_typei0e5:piece", ErrMalformed},
	} {
		if _, err := ParseMessage([]byte(tc.in)); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	m, err := ParseMessage([]byte("d8:msg_typei9e5:piecei4ee"))
	if m.Type != 9 || m.Piece != 4 || !errors.Is(err, ErrUnknownType) {
		t.Fatalf("unknown type: %+v, %v", m, err)
	}
}

func TestAppendMessage(t *testing.T) {
	got, err := AppendMessage([]byte{UTMetadataID}, Message{Type: MsgData, Piece: 1, TotalSize: 20000, Data: []byte("xyz")})
	if err != nil {
		t.Fatal(err)
	}
	if want := "\x02d8:msg_typei1e5:piecei1e10:total_sizei20000eexyz"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	got, _ = AppendMessage(nil, Message{Type: MsgRequest, Piece: 0})
	if want := "d8:msg_typei0e5:piecei0ee"; string(got) != want {
		t.Fatalf("request = %q", got)
	}
	for _, bad := range []Message{
		{Type: 3},
		{Type: MsgRequest, Piece: -1},
		{Type: MsgRequest, Data: []byte("x")},
		{Type: MsgData, Data: make([]byte, PieceSize+1)},
		{Type: MsgData, TotalSize: -5},
	} {
		if _, err := AppendMessage(nil, bad); err == nil {
			t.Errorf("AppendMessage(%+v) accepted", bad)
		}
	}
}

func TestServer(t *testing.T) {
	info, _ := testInfo(t, 2*PieceSize+100)
	s := NewServer(info)
	if s.Size() != int64(len(info)) {
		t.Fatalf("Size = %d", s.Size())
	}
	for piece, want := range [][]byte{info[:PieceSize], info[PieceSize : 2*PieceSize], info[2*PieceSize:]} {
		r, ok := s.Answer(Message{Type: MsgRequest, Piece: piece})
		if !ok || r.Type != MsgData || r.Piece != piece || r.TotalSize != int64(len(info)) || !bytes.Equal(r.Data, want) {
			t.Fatalf("piece %d: %+v %v", piece, r.Type, ok)
		}
		if cap(r.Data) != len(r.Data) {
			t.Fatal("data slice lets a caller append into info")
		}
	}
	for _, piece := range []int{-1, 3, 1 << 30} {
		if r, ok := s.Answer(Message{Type: MsgRequest, Piece: piece}); !ok || r.Type != MsgReject || r.Piece != piece {
			t.Fatalf("piece %d: %+v", piece, r)
		}
	}
	if _, ok := s.Answer(Message{Type: MsgData}); ok {
		t.Fatal("answered a data message")
	}
	if r, ok := NewServer(nil).Answer(Message{Type: MsgRequest}); !ok || r.Type != MsgReject || r.TotalSize != 0 {
		t.Fatalf("no metadata: %+v", r)
	}
}
