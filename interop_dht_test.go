package actorrent

import (
	"context"
	"path/filepath"
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
