package actorrent

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"testing"
	"time"
)

// putMutable puts it from s and returns its DHTPutAlert.
func putMutable(ctx context.Context, t *testing.T, s *Session, it DHTMutableItem) DHTPutAlert {
	t.Helper()
	target, err := s.DHTPutMutableItem(ctx, it)
	if err != nil {
		t.Fatal(err)
	}
	return waitAlert(ctx, t, s, "dht_put", func(a Alert) bool {
		p, ok := a.(DHTPutAlert)
		return ok && p.Target == target && p.Seq == it.Seq
	}).(DHTPutAlert)
}

// getMutable gets the item of key and salt from s.
func getMutable(ctx context.Context, t *testing.T, s *Session, key [32]byte, salt []byte) DHTMutableItemAlert {
	t.Helper()
	if err := s.DHTGetMutableItem(ctx, key, salt); err != nil {
		t.Fatal(err)
	}
	return waitAlert(ctx, t, s, "dht_mutable_item", func(a Alert) bool {
		m, ok := a.(DHTMutableItemAlert)
		return ok && m.Key == key && bytes.Equal(m.Salt, salt)
	}).(DHTMutableItemAlert)
}

// BEP 44 mutable items between our sessions: one node puts an item,
// another gets it; a put with the stored seq as CAS replaces it, one with
// another CAS or a lower seq is refused by every node (NumSuccess 0) and
// the item stays; a salt nobody used has no item; bad puts are refused.
func TestDHTMutableItems(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	ss, _ := dhtSwarm(ctx, t, 111, 4)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	var pub [32]byte
	copy(pub[:], priv.Public().(ed25519.PublicKey))
	salt := []byte("profile")

	check := func(step string, seq int64, item string) {
		t.Helper()
		got := getMutable(ctx, t, ss[3], pub, salt)
		if got.Seq != seq || string(got.Item) != item {
			t.Fatalf("%s: got seq %d %q, want seq %d %q", step, got.Seq, got.Item, seq, item)
		}
		signed := fmt.Appendf(nil, "4:salt%d:%s3:seqi%de1:v%s", len(salt), salt, seq, item)
		if !ed25519.Verify(pub[:], signed, got.Signature[:]) {
			t.Fatalf("%s: the signature does not verify", step)
		}
	}

	put := putMutable(ctx, t, ss[1], DHTMutableItem{Key: priv, Salt: salt, Seq: 1, Item: []byte("5:first")})
	if put.NumSuccess == 0 || put.PublicKey != pub || !bytes.Equal(put.Salt, salt) || put.Target != DHTMutableTarget(pub, salt) {
		t.Fatalf("first put: %+v", put)
	}
	check("first put", 1, "5:first")

	if put := putMutable(ctx, t, ss[2], DHTMutableItem{Key: priv, Salt: salt, Seq: 2, CAS: 1, Item: []byte("6:second")}); put.NumSuccess == 0 {
		t.Fatalf("a put with the stored seq as CAS: %+v", put)
	}
	check("CAS put", 2, "6:second")

	if put := putMutable(ctx, t, ss[1], DHTMutableItem{Key: priv, Salt: salt, Seq: 3, CAS: 1, Item: []byte("5:third")}); put.NumSuccess != 0 {
		t.Errorf("a put with a stale CAS was stored by %d nodes", put.NumSuccess)
	}
	if put := putMutable(ctx, t, ss[1], DHTMutableItem{Key: priv, Salt: salt, Seq: 1, Item: []byte("3:old")}); put.NumSuccess != 0 {
		t.Errorf("a put with a lower seq was stored by %d nodes", put.NumSuccess)
	}
	check("refused puts", 2, "6:second")
	// The item stored came with CAS 1: a CAS of its seq is what counts
	// (the library alone would compare with the 1 and refuse this).
	if put := putMutable(ctx, t, ss[2], DHTMutableItem{Key: priv, Salt: salt, Seq: 3, CAS: 2, Item: []byte("5:third")}); put.NumSuccess == 0 {
		t.Fatalf("a put with the stored seq as CAS, the stored item put with another CAS: %+v", put)
	}
	check("second CAS put", 3, "5:third")

	if none := getMutable(ctx, t, ss[3], pub, []byte("other")); none.Item != nil || none.Seq != 0 {
		t.Errorf("an item for a salt nobody used: %+v", none)
	}
	for name, bad := range map[string]DHTMutableItem{
		"no key":         {Salt: salt, Seq: 1, Item: []byte("1:x")},
		"salt too long":  {Key: priv, Salt: make([]byte, 65), Seq: 1, Item: []byte("1:x")},
		"item too long":  {Key: priv, Seq: 1, Item: fmt.Appendf(nil, "1000:%s", make([]byte, 1000))},
		"not bencoded":   {Key: priv, Seq: 1, Item: []byte("x")},
		"negative seq":   {Key: priv, Seq: -1, Item: []byte("1:x")},
		"short key":      {Key: priv[:32], Seq: 1, Item: []byte("1:x")},
		"two values":     {Key: priv, Seq: 1, Item: []byte("i1ei2e")},
		"negative cas":   {Key: priv, Seq: 1, CAS: -2, Item: []byte("1:x")},
		"empty item":     {Key: priv, Seq: 1},
		"salt of 65 B":   {Key: priv, Salt: bytes.Repeat([]byte("s"), 65), Seq: 1, Item: []byte("1:x")},
		"value of 1001B": {Key: priv, Seq: 1, Item: fmt.Appendf(nil, "997:%s", make([]byte, 997))},
	} {
		if _, err := ss[1].DHTPutMutableItem(ctx, bad); !errors.Is(err, ErrInvalidParams) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := ss[1].DHTGetMutableItem(ctx, pub, make([]byte, 65)); !errors.Is(err, ErrInvalidParams) {
		t.Errorf("a get with a salt of 65 bytes: %v", err)
	}
}
