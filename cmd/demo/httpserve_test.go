package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

var httpRe = regexp.MustCompile(`(?m)^serving the torrent's files on (http://127\.0\.0\.1:[0-9]+/)$`)

// waitStderr returns the first match of re in p's stderr, waiting for it.
func waitStderr(t *testing.T, p *proc, re *regexp.Regexp, timeout time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if m := re.FindStringSubmatch(p.stderr.String()); m != nil {
			return m
		}
		select {
		case <-p.done:
			t.Fatalf("demo exited before printing %v\nstderr: %s", re, p.stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %v on stderr within %v: %q", re, timeout, p.stderr.String())
		}
	}
}

// TestDownloadServesHTTP: download -http serves the files while the
// download runs (a range near the end of the big file, from a seed held to
// 1 MiB/s), lists them, and goes on serving after the download until
// interrupted.
func TestDownloadServesHTTP(t *testing.T) {
	f := newFixture(t)
	seed := startDemo(t, "seed", "-listen", "127.0.0.1:0", "-up-limit", "1048576", f.torrent, f.src)
	addr := listenRe.FindStringSubmatch(seed.waitLine("listening on ", 30*time.Second))[1]
	dst := filepath.Join(f.root, "dst")
	dl := startDemo(t, "download", "-peer", addr, "-http", "127.0.0.1:0", "-timeout", "120s", "-o", dst, f.torrent)
	base := waitStderr(t, dl, httpRe, 30*time.Second)[1]

	want, err := os.ReadFile(filepath.Join(f.src, "pl", "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"pl/big.bin", nil)
	req.Header.Set("Range", "bytes=-100000")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[len(want)-100000:]) {
		t.Fatalf("range near the end: status %d, %d bytes, %v", resp.StatusCode, len(body), err)
	}
	if strings.Contains(dl.stderr.String(), "download done") {
		// 4 MiB at 1 MiB/s: the range's pieces, asked first, come long
		// before the rest.
		t.Fatal("the range came only after the whole download")
	}

	waitStderr(t, dl, regexp.MustCompile(`download done; serving`), 90*time.Second)
	resp, err = http.Get(base)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, p := range []string{"pl/big.bin", "pl/sub/b.bin", "pl/tiny.txt", "pl/empty"} {
		if !strings.Contains(string(list), `href="/`+p+`"`) {
			t.Errorf("listing lacks %s: %s", p, list)
		}
	}
	resp, err = http.Get(base + "pl/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a path not in the torrent: %d", resp.StatusCode)
	}
	if code := dl.stop(15 * time.Second); code != 0 {
		t.Errorf("download exit code %d after SIGINT\nstderr: %s", code, dl.stderr.String())
	}
	if err := interop.CompareTrees(f.src, dst); err != nil {
		t.Fatal(err)
	}
}
