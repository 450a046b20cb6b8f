package actorrent

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// BEP 44 mutable items with libtorrent 2.0.8 on a loopback DHT: an item
// libtorrent signs and puts we get (its signature checked by us), one we
// put libtorrent gets (checked by it), and our next put of it, with the
// seq libtorrent read as CAS, reaches libtorrent too.
func TestInteropDHTMutableItems(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	ss, addrs := dhtSwarm(ctx, t, 121, 2)

	// libtorrent puts; we get.
	ltSeed := [32]byte{1, 2, 3}
	var ltKey [32]byte
	copy(ltKey[:], ed25519.NewKeyFromSeed(ltSeed[:]).Public().(ed25519.PublicKey))
	ltSalt := []byte("lt-salt")
	lt, err := interop.StartDHTNode(ctx, interop.DHTNodeOptions{Listen: "127.0.123.1", Bootstrap: addrs[:1],
		PutMutable: &interop.LTMutablePut{Seed: ltSeed, Salt: ltSalt, Value: "from libtorrent"}})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "dht node", lt)
	ev, err := lt.WaitEvent(ctx, "item_put")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := ev.Raw["num_success"].(float64); n == 0 {
		t.Fatalf("libtorrent's put: %v", ev.Raw)
	}
	got := getMutable(ctx, t, ss[1], ltKey, ltSalt)
	if string(got.Item) != "15:from libtorrent" || float64(got.Seq) != ev.Raw["seq"] {
		t.Fatalf("we got seq %d %q; libtorrent put %v", got.Seq, got.Item, ev.Raw)
	}

	// We put; libtorrent gets.
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	var key [32]byte
	copy(key[:], priv.Public().(ed25519.PublicKey))
	salt := []byte("our-salt")
	if put := putMutable(ctx, t, ss[0], DHTMutableItem{Key: priv, Salt: salt, Seq: 4, Item: []byte("7:from us")}); put.NumSuccess == 0 {
		t.Fatalf("our put: %+v", put)
	}
	ltGet := func(ip string, minSeq int64, want string) {
		t.Helper()
		lt2, err := interop.StartDHTNode(ctx, interop.DHTNodeOptions{Listen: ip, Bootstrap: addrs[:1],
			GetMutable: &interop.LTMutableGet{Key: key, Salt: salt, MinSeq: minSeq}})
		if err != nil {
			t.Fatal(err)
		}
		stopPeerAtEnd(t, "dht node", lt2)
		ev, err := lt2.WaitEvent(ctx, "mutable_item")
		if err != nil {
			t.Fatal(err)
		}
		if ev.Raw["seq"] != float64(minSeq) || !strings.Contains(ev.Message, want) {
			t.Fatalf("libtorrent got %v; want seq %d %q", ev.Raw, minSeq, want)
		}
	}
	ltGet("127.0.124.1", 4, "from us")
	if put := putMutable(ctx, t, ss[1], DHTMutableItem{Key: priv, Salt: salt, Seq: 5, CAS: 4, Item: []byte("5:again")}); put.NumSuccess == 0 {
		t.Fatalf("our CAS put: %+v", put)
	}
	ltGet("127.0.125.1", 5, "again")
}
