package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// -ip-filter: a list that blocks the seed's address keeps download from
// it (it times out with nothing), one that blocks others does not; a
// missing or formatless file is a one-line usage error.
func TestDownloadIPFilter(t *testing.T) {
	f := newFixture(t)
	_, addr := startSeed(t, f.torrent, f.src)
	write := func(name, content string) string {
		p := filepath.Join(f.root, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	blocking := write("block-loopback.p2p", "# P2P list\nloopback:127.0.0.0-127.255.255.255\n")
	other := write("block-other.dat", "010.000.000.000 - 010.255.255.255 , 000 , private\n")
	garbage := write("garbage.txt", "this is not\na blocklist\n")

	for _, c := range []struct{ list, want string }{
		{filepath.Join(f.root, "missing"), "missing"},
		{garbage, "no address range"},
	} {
		r := runDemo(t, 30*time.Second, nil, "download", "-ip-filter", c.list, "-o", filepath.Join(f.root, "x"), f.torrent)
		oneLineFailure(t, r, exitUsage, c.want)
	}

	dst := filepath.Join(f.root, "blocked")
	r := runDemo(t, 30*time.Second, nil, "download", "-ip-filter", blocking, "-peer", addr, "-timeout", "1s", "-o", dst, f.torrent)
	oneLineFailure(t, r, exitFailure, "timed out after 1s")

	dst = filepath.Join(f.root, "allowed")
	r = runDemo(t, 60*time.Second, nil, "download", "-ip-filter", other, "-peer", addr, "-timeout", "50s", "-o", dst, f.torrent)
	checkDownloaded(t, r, f.total, f.src, dst)
}
