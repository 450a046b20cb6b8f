package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// needLibtorrent skips a test that drives real libtorrent when it cannot
// run here.
func needLibtorrent(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts real libtorrent processes; skipped with -short")
	}
	if err := interop.Available(); err != nil {
		t.Skip(err)
	}
}

// TestDownloadFromLibtorrent: libtorrent seeds a torrent it made itself;
// "demo download" fetches it.
func TestDownloadFromLibtorrent(t *testing.T) {
	needLibtorrent(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	f := newFixture(t)
	ltTorrent := filepath.Join(f.root, "lt.torrent")
	if err := interop.CreateTorrentWithLibtorrent(ctx, filepath.Join(f.src, "pl"), ltTorrent, testPieceSize, nil); err != nil {
		t.Fatal(err)
	}
	// uTP on, as libtorrent's default: the demo (uTP first by default)
	// downloads over it. A TCP-only seed would answer no SYN, and each
	// connect would wait out the SYN's timeouts before TCP.
	lt, err := interop.StartSeeder(ctx, interop.Options{Torrent: ltTorrent, Save: f.src, UTP: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := lt.Stop(); err != nil {
			t.Errorf("libtorrent seeder: %v\n%s", err, lt.Log())
		}
	}()
	if err := lt.WaitSeeding(ctx); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(f.root, "dst")
	r := runDemo(t, 60*time.Second, nil, "download", "-peer", lt.Addr(), "-timeout", "50s", "-o", dst, ltTorrent)
	if r.code != 0 {
		t.Logf("libtorrent log:\n%s", lt.Log())
	}
	checkDownloaded(t, r, f.total, f.src, dst)
}

// TestLibtorrentDownloadsFromSeed: "demo seed" serves our torrent;
// libtorrent downloads it.
func TestLibtorrentDownloadsFromSeed(t *testing.T) {
	needLibtorrent(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	f := newFixture(t)
	seed, addr := startSeed(t, f.torrent, f.src)
	dst := filepath.Join(f.root, "dst")
	lt, err := interop.StartDownloader(ctx, interop.Options{Torrent: f.torrent, Save: dst, Peers: []string{addr}, Timeout: 50 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := lt.Stop(); err != nil {
			t.Errorf("libtorrent downloader: %v\n%s", err, lt.Log())
		}
	}()
	if _, err := lt.WaitFinished(ctx); err != nil {
		t.Fatalf("%v\ndemo seed stderr: %s", err, seed.stderr.String())
	}
	if err := interop.CompareTrees(f.src, dst); err != nil {
		t.Fatal(err)
	}
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d after SIGINT\nstderr: %s", code, seed.stderr.String())
	}
}
