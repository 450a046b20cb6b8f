package actorrent

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// TestInteropDHTLibtorrentSeedsWeDownload: libtorrent 2.0.8 seeds a
// torrent it announces on a loopback DHT whose router is one of our
// sessions; another of ours adds a magnet link with no tracker and no
// peer, finds libtorrent through the DHT and downloads byte-identical
// files. Each node has its own 127.0.N.1 (libtorrent's defaults keep one
// node per /24).
func TestInteropDHTLibtorrentSeedsWeDownload(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	_, router := dhtNode(ctx, t, "127.0.71.1")
	ti, src, path := trackerFixture(t)
	lt := libtorrentSeeding(ctx, t, interop.Options{Torrent: path, Save: src, Listen: "127.0.72.1", DHTBootstrap: []string{router}})
	if _, err := lt.WaitEvent(ctx, "alert"); err != nil { // dht_bootstrap, or the first dht alert
		t.Fatal(err)
	}
	s, _ := dhtNode(ctx, t, "127.0.73.1", router)
	dst := t.TempDir()
	h, err := s.AddTorrent(ctx, AddTorrentParams{URL: "magnet:?xt=urn:btih:" + ti.InfoHash().String(), SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, filepath.Join(src, "t"), filepath.Join(dst, "t"))
	checkDHTPeer(ctx, t, h, lt.Addr())
}

// TestInteropDHTWeSeedLibtorrentDownloads: the other way round: we seed
// and announce on the DHT; libtorrent adds a magnet link with no tracker,
// finds us through the DHT and downloads.
func TestInteropDHTWeSeedLibtorrentDownloads(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	ss, addrs := dhtSwarm(ctx, t, 74, 2)
	ti, src, _ := trackerFixture(t)
	h, err := ss[1].AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	libtorrentFetches(ctx, t, interop.Options{Magnet: MakeMagnetURI(ti), Listen: "127.0.76.1",
		DHTBootstrap: []string{addrs[0]}, Timeout: 100 * time.Second}, src, "t")
}

// checkDHTPeer: the torrent's peer at addr was learnt of from the DHT.
func checkDHTPeer(ctx context.Context, t *testing.T, h TorrentHandle, addr string) {
	t.Helper()
	peers, err := h.GetPeerInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range peers {
		if p.IP == addr {
			if p.Source&PeerSourceDHT == 0 {
				t.Errorf("peer %s source %#x, not dht", addr, p.Source)
			}
			return
		}
	}
	t.Logf("peer %s no longer connected (peers %d)", addr, len(peers))
}

// BEP 44 immutable items with libtorrent 2.0.8 on a loopback DHT: an item
// libtorrent puts we get, and one we put libtorrent gets.
func TestInteropDHTImmutableItems(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	ss, addrs := dhtSwarm(ctx, t, 101, 2)

	theirs := []byte("d3:key5:valuee")
	lt, err := interop.StartDHTNode(ctx, interop.DHTNodeOptions{Listen: "127.0.103.1", Bootstrap: addrs[:1], PutItem: theirs})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "dht node", lt)
	ev, err := lt.WaitEvent(ctx, "item_put")
	if err != nil {
		t.Fatal(err)
	}
	target := sha1.Sum(theirs)
	if ev.Raw["target"] != hex.EncodeToString(target[:]) {
		t.Fatalf("libtorrent put %v, want target %x", ev.Raw, target)
	}
	if err := ss[1].DHTGetItem(ctx, target); err != nil {
		t.Fatal(err)
	}
	got := waitAlert(ctx, t, ss[1], "dht_immutable_item", func(a Alert) bool { _, ok := a.(DHTImmutableItemAlert); return ok }).(DHTImmutableItemAlert)
	if string(got.Item) != string(theirs) {
		t.Fatalf("we got %q, libtorrent put %q", got.Item, theirs)
	}

	ours := []byte("l4:fromi2ee")
	ourTarget, err := ss[0].DHTPutItem(ctx, ours)
	if err != nil {
		t.Fatal(err)
	}
	waitAlert(ctx, t, ss[0], "dht_put", func(a Alert) bool { _, ok := a.(DHTPutAlert); return ok })
	lt2, err := interop.StartDHTNode(ctx, interop.DHTNodeOptions{Listen: "127.0.104.1", Bootstrap: addrs[:1], GetItem: &ourTarget})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "dht node", lt2)
	ev, err = lt2.WaitEvent(ctx, "item")
	if err != nil {
		t.Fatal(err)
	}
	// libtorrent posts the item only if its SHA-1 is the target: the
	// bytes are ours.
	if ev.Raw["target"] != hex.EncodeToString(ourTarget[:]) || !strings.Contains(ev.Message, "'from'") {
		t.Fatalf("libtorrent got %v, we put %q", ev.Raw, ours)
	}
}
