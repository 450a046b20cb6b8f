package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent"
	"github.com/actorrent/actorrent/internal/interop"
)

// TestDownloadFindsSeedThroughTracker: "demo create -tracker" puts
// opentracker in the torrent, "demo seed" announces to it, and "demo
// download" with no -peer finds the seed through it.
func TestDownloadFindsSeedThroughTracker(t *testing.T) {
	if err := interop.OpentrackerAvailable(); err != nil {
		t.Skip(err)
	}
	f := newFixture(t) // its torrent names a dead tracker; the info-hash is the same
	ti, err := actorrent.LoadTorrentFile(f.torrent)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	ot, err := interop.StartOpentracker(ctx, [20]byte(ti.InfoHash()))
	if err != nil {
		t.Fatal(err)
	}
	defer ot.Stop()
	torrent := filepath.Join(f.root, "tracked.torrent")
	r := runDemo(t, 30*time.Second, nil, "create", "-piece-size", fmt.Sprint(testPieceSize),
		"-tracker", ot.UDPAnnounceURL(), "-o", torrent, filepath.Join(f.src, "pl"))
	if r.code != 0 {
		t.Fatalf("create: %d %s", r.code, r.stderr)
	}
	seed, _ := startSeed(t, torrent, f.src)
	dst := filepath.Join(f.root, "dst")
	r = runDemo(t, 60*time.Second, nil, "download", "-timeout", "50s", "-o", dst, torrent)
	checkDownloaded(t, r, f.total, f.src, dst)
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d\nstderr: %s", code, seed.stderr.String())
	}
}
