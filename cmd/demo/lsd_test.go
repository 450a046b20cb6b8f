package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// "demo seed -lsd" and "demo download -lsd" find each other by local
// service discovery alone (no -peer, no tracker), on BEP 14's own group,
// in a network namespace of the test's own.
func TestSeedThenDownloadByLSD(t *testing.T) {
	if !interop.InOwnNetns(t) {
		return
	}
	f := newFixture(t)
	seed := startDemo(t, "seed", "-lsd", "-listen", "127.0.0.1:0", f.torrent, f.src)
	seed.waitLine("listening on ", 30*time.Second)
	dst := filepath.Join(f.root, "dst")
	r := runDemo(t, 60*time.Second, nil, "download", "-lsd", "-timeout", "50s", "-o", dst, f.torrent)
	checkDownloaded(t, r, f.total, f.src, dst)
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d after SIGINT\nstderr: %s", code, seed.stderr.String())
	}
}
