package main

import (
	"path/filepath"
	"testing"
	"time"
)

// A seed and a downloader with -transport utp (TCP off both ways): the
// download goes over uTP and completes byte-identically.
func TestSeedThenDownloadOverUTP(t *testing.T) {
	f := newFixture(t)
	seed := startDemo(t, "seed", "-listen", "127.0.0.1:0", "-transport", "utp", f.torrent, f.src)
	line := seed.waitLine("listening on ", 30*time.Second)
	m := listenRe.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("seed printed %q", line)
	}
	dst := filepath.Join(f.root, "dst")
	r := runDemo(t, 60*time.Second, nil, "download", "-transport", "utp", "-peer", m[1], "-timeout", "50s", "-o", dst, f.torrent)
	checkDownloaded(t, r, f.total, f.src, dst)
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d after SIGINT\nstderr: %s", code, seed.stderr.String())
	}
}
