package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A loopback DHT of four sessions, each on its own 127.0.N.1: one seeds a
// torrent it announces on the DHT; another adds a magnet link with no
// tracker and no peer, finds the seeder through the DHT alone and
// downloads byte-identical files.
func TestDHTTrackerlessMagnetDownloads(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	ss, _ := dhtSwarm(ctx, t, 41, 4)
	seeder, leecher := ss[1], ss[3]
	ti, src, _ := trackerFixture(t)
	sh, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, sh, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	dst := t.TempDir()
	h, err := leecher.AddTorrent(ctx, AddTorrentParams{URL: "magnet:?xt=urn:btih:" + ti.InfoHash().String(), SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, filepath.Join(src, "t"), filepath.Join(dst, "t"))

	seen, _ := alertCounts(ctx, t, leecher)
	if seen["dht_reply"] == 0 || seen["dht_bootstrap"] == 0 {
		t.Errorf("leecher's alerts %v", seen)
	}
	st, err := leecher.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.DHTNodes == 0 || st.TotalDHTUpload == 0 || st.TotalDHTDownload == 0 || len(st.DHTRoutingTable) == 0 {
		t.Errorf("leecher's DHT status: nodes %d up %d down %d buckets %d", st.DHTNodes, st.TotalDHTUpload, st.TotalDHTDownload, len(st.DHTRoutingTable))
	}
	seen, _ = alertCounts(ctx, t, ss[0])
	if seen["dht_announce"] == 0 && seen["dht_get_peers"] == 0 {
		t.Logf("the router saw neither announces nor get_peers: %v", seen)
	}
}

// A DHT of two: the seeder is the first node (no router), the leecher
// starts from it. Neither has a third node to store its announce: each
// finds the other in what the other announced to it.
func TestDHTOfTwoNodes(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	seeder, router := dhtNode(ctx, t, "127.0.46.1")
	ti, src, _ := trackerFixture(t)
	sh, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, sh, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	leecher, _ := dhtNode(ctx, t, "127.0.47.1", router)
	dst := t.TempDir()
	h, err := leecher.AddTorrent(ctx, AddTorrentParams{URL: "magnet:?xt=urn:btih:" + ti.InfoHash().String(), SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, filepath.Join(src, "t"), filepath.Join(dst, "t"))
}
