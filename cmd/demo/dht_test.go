package main

import (
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/actorrent/actorrent"
)

// A seed with -dht (and no router: it is the DHT's first node) and a
// download of a trackerless magnet with only -dht-bootstrap naming the
// seed's node: the DHT goes on by default, and the files come through it.
func TestDHTSeedThenTrackerlessMagnetDownload(t *testing.T) {
	f := newFixture(t)
	ti, err := actorrent.LoadTorrentFile(f.torrent)
	if err != nil {
		t.Fatal(err)
	}
	seed := startDemo(t, "seed", "-listen", "127.0.91.1:0", "-dht", "-set", "dht_bootstrap_nodes=", f.torrent, f.src)
	line := seed.waitLine("listening on ", 30*time.Second)
	m := regexp.MustCompile(`^listening on (127\.0\.91\.1:[0-9]+)$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("seed printed %q", line)
	}
	dst := filepath.Join(f.root, "dst")
	magnet := "magnet:?xt=urn:btih:" + ti.InfoHash().String() + "&dn=pl"
	r := runDemo(t, 90*time.Second, nil, "download", "-listen", "127.0.92.1:0", "-dht-bootstrap", m[1],
		"-timeout", "80s", "-o", dst, magnet)
	checkDownloaded(t, r, f.total, f.src, dst)
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d after SIGINT\nstderr: %s", code, seed.stderr.String())
	}
}

func TestDHTBootstrapFlagIsChecked(t *testing.T) {
	r := runDemo(t, 30*time.Second, nil, "download", "-dht-bootstrap", "nohostport", "-o", t.TempDir(), "magnet:?xt=urn:btih:0000000000000000000000000000000000000000")
	if r.code != 2 {
		t.Fatalf("exit %d, want a usage error: %s", r.code, r.stderr)
	}
}
