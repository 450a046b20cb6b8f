package dhtstate

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/dht/v2/bep44"
	"github.com/anacrolix/dht/v2/krpc"
)

// testKey is a fixed ed25519 key.
var testKey = ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))

func mutable(t *testing.T, v string, salt string, seq, cas int64) *bep44.Item {
	t.Helper()
	i, err := bep44.NewItem(v, []byte(salt), seq, cas, testKey)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func krpcCode(err error) int {
	var ke krpc.Error
	if errors.As(err, &ke) {
		return ke.Code
	}
	return 0
}

// The store's checks, direct and behind the library's wrapper (how the
// server uses it): each case is a stored item, then a put and the error
// code it gets (0: stored).
func TestItemStorePut(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stored *bep44.Item
		put    *bep44.Item
		code   int
	}{
		{"first put", nil, mutable(t, "a", "s", 1, 0), 0},
		{"higher seq", mutable(t, "a", "s", 1, 0), mutable(t, "b", "s", 2, 0), 0},
		{"cas is the stored seq", mutable(t, "a", "s", 4, 0), mutable(t, "b", "s", 5, 4), 0},
		// The stored item came with a cas: it is no part of the check
		// (the library compares it, not the stored seq).
		{"cas is the stored seq, stored with a cas", mutable(t, "a", "s", 4, 3), mutable(t, "b", "s", 5, 4), 0},
		{"cas mismatch", mutable(t, "a", "s", 4, 0), mutable(t, "b", "s", 5, 3), 301},
		{"cas matching the stored cas, not its seq", mutable(t, "a", "s", 4, 3), mutable(t, "b", "s", 5, 3), 301},
		{"lower seq", mutable(t, "a", "s", 4, 0), mutable(t, "b", "s", 3, 0), 302},
		{"same seq, other value", mutable(t, "a", "s", 4, 0), mutable(t, "b", "s", 4, 0), 302},
		{"same item again", mutable(t, "a", "s", 4, 0), mutable(t, "a", "s", 4, 0), 0},
		{"bad signature", nil, func() *bep44.Item { i := mutable(t, "a", "s", 1, 0); i.Seq = 2; return i }(), 206},
		{"salt over 64 bytes", nil, mutable(t, "a", strings.Repeat("s", 65), 1, 0), 207},
		{"salt of 64 bytes", nil, mutable(t, "a", strings.Repeat("s", 64), 1, 0), 0},
		{"v over 1000 bytes", nil, mutable(t, strings.Repeat("v", 1000), "", 1, 0), 205},
		{"immutable over 1000 bytes", nil, &bep44.Item{V: strings.Repeat("v", 997)}, 205},
		{"immutable of 1000 bytes", nil, &bep44.Item{V: strings.Repeat("v", 996)}, 0},
		{"immutable", nil, &bep44.Item{V: "hello"}, 0},
	} {
		for _, wrapped := range []bool{false, true} {
			s := NewItemStore(10)
			var store interface{ Put(*bep44.Item) error } = s
			if wrapped {
				store = bep44.NewWrapper(s, time.Hour)
			}
			if tc.stored != nil {
				if err := store.Put(tc.stored); err != nil {
					t.Fatalf("%s: storing %v", tc.name, err)
				}
			}
			err := store.Put(tc.put)
			if got := krpcCode(err); got != tc.code || (tc.code == 0) != (err == nil) {
				t.Errorf("%s (wrapped %v): %v (code %d), want code %d", tc.name, wrapped, err, got, tc.code)
				continue
			}
			got, gerr := s.Get(tc.put.Target())
			want := tc.put
			if err != nil {
				want = tc.stored
			}
			switch {
			case want == nil:
				if gerr == nil {
					t.Errorf("%s: %v stored", tc.name, got)
				}
			case gerr != nil || got.Seq != want.Seq || got.V != want.V:
				t.Errorf("%s: stored %+v (%v), want %+v", tc.name, got, gerr, want)
			case got.Cas != 0:
				t.Errorf("%s: stored with cas %d", tc.name, got.Cas)
			}
		}
	}
}

// Past maxItems the oldest item is dropped; Del forgets one.
func TestItemStoreLimit(t *testing.T) {
	s := NewItemStore(2)
	a, b, c := &bep44.Item{V: "a"}, &bep44.Item{V: "b"}, &bep44.Item{V: "c"}
	for _, i := range []*bep44.Item{a, b, c} {
		if err := s.Put(i); err != nil {
			t.Fatal(err)
		}
	}
	if s.Len() != 2 {
		t.Fatalf("%d items", s.Len())
	}
	if _, err := s.Get(a.Target()); !errors.Is(err, bep44.ErrItemNotFound) {
		t.Errorf("the oldest item is still there: %v", err)
	}
	if err := s.Del(b.Target()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(b.Target()); !errors.Is(err, bep44.ErrItemNotFound) {
		t.Errorf("a deleted item is still there: %v", err)
	}
	if got, err := s.Get(c.Target()); err != nil || got.V != "c" {
		t.Errorf("c: %v %v", got, err)
	}
	// A new put after the delete keeps the order right.
	d := &bep44.Item{V: "d"}
	s.Put(d)
	s.Put(&bep44.Item{V: "e"})
	if _, err := s.Get(c.Target()); !errors.Is(err, bep44.ErrItemNotFound) || s.Len() != 2 {
		t.Errorf("c after two more puts: %v, %d items", err, s.Len())
	}
}
