package metadata

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// FuzzExtHandshake: parsing never panics, errors wrap a sentinel, and what
// parses re-encodes to canonical bencode that parses back to the same value.
func FuzzExtHandshake(f *testing.F) {
	for _, s := range []string{
		"d1:md11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei31235e1:pi6881e4:reqqi500e1:v18:libtorrent/2.0.8.06:yourip4:\x7f\x00\x00\x01e",
		"de", "d1:mdee", "d1:md1:ai256e1:bi-1ee", "d6:yourip16:\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01e",
		"d13:metadata_sizei-5e4:reqqi99999999ee", "d1:mli1eee", "le", "d1:md", "i1e",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseExtHandshake(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		enc := AppendExtHandshake(nil, h)
		var generic map[string]any
		if err := bencodex.Unmarshal(enc, &generic, bencodex.Limits{}); err != nil {
			t.Fatalf("re-encoding %q is not bencode: %v", enc, err)
		}
		h2, err := ParseExtHandshake(enc)
		if err != nil {
			t.Fatalf("re-encoding %q does not parse: %v", enc, err)
		}
		if len(h.M) == 0 {
			h.M = h2.M // absent and empty "m" both encode as an empty dict
		}
		if !reflect.DeepEqual(h, h2) {
			t.Fatalf("round trip differs:\n%+v\n%+v", h, h2)
		}
	})
}

// FuzzUTMetadata: parsing never panics, errors wrap a sentinel, valid
// messages round-trip, and feeding them to a Server and a Fetcher is safe.
func FuzzUTMetadata(f *testing.F) {
	for _, s := range []string{
		"d8:msg_typei0e5:piecei0ee",
		"d8:msg_typei1e5:piecei0e10:total_sizei5eehello",
		"d8:msg_typei2e5:piecei1ee",
		"d8:msg_typei1e5:piecei2147483647e10:total_sizei9223372036854775807eex",
		"d8:msg_typei7e5:piecei0ee",
		"d5:piecei0ee", "d8:msg_typei0e5:piecei-1ee", "li0ee", "d8:msg_type",
	} {
		f.Add([]byte(s))
	}
	info := bytes.Repeat([]byte("i"), PieceSize+5)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMessage(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnknownType) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		enc, err := AppendMessage(nil, m)
		if err != nil {
			t.Fatalf("AppendMessage(%+v): %v", m, err)
		}
		m2, err := ParseMessage(enc)
		if err != nil || m2.Type != m.Type || m2.Piece != m.Piece || m2.TotalSize != m.TotalSize || !bytes.Equal(m2.Data, m.Data) {
			t.Fatalf("round trip: %+v, %v", m2, err)
		}
		if r, ok := NewServer(info).Answer(m); ok {
			if _, err := AppendMessage(nil, r); err != nil {
				t.Fatalf("Server reply %+v does not encode: %v", r, err)
			}
		}
		// A fetcher that asked for everything must survive any answer.
		fe := NewFetcher([20]byte{}, FetcherConfig{MaxInFlight: 8})
		_ = fe.AddPeer(1, int64(len(info)))
		_ = fe.AddPeer(2, max(1, min(m.TotalSize, DefaultMaxMetadataSize)))
		now := time.Unix(0, 0)
		fe.Next(now)
		fe.OnData(1, m)
		fe.OnReject(2, m.Piece, now)
		fe.OnData(2, m)
		fe.Next(now.Add(time.Hour))
	})
}
