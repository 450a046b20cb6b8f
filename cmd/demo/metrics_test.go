package main

import (
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
)

var metricsRe = regexp.MustCompile(`(?m)^metrics on (http://127\.0\.0\.1:[0-9]+/metrics)$`)

// TestSeedAndDownloadServeMetrics: seed serves /metrics while it runs
// (scraped and parsed here), download serves it and still exits cleanly.
func TestSeedAndDownloadServeMetrics(t *testing.T) {
	f := newFixture(t)
	seed := startDemo(t, "seed", "-listen", "127.0.0.1:0", "-metrics", "127.0.0.1:0", f.torrent, f.src)
	line := seed.waitLine("listening on ", 30*time.Second)
	addr := listenRe.FindStringSubmatch(line)[1]
	// Printed before the listening line, but stderr reaches its buffer
	// through a pipe of its own: wait for it.
	var m []string
	deadline := time.Now().Add(30 * time.Second)
	for m = metricsRe.FindStringSubmatch(seed.stderr.String()); m == nil; m = metricsRe.FindStringSubmatch(seed.stderr.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("seed's stderr names no metrics address: %q", seed.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	resp, err := http.Get(m[1])
	if err != nil {
		t.Fatal(err)
	}
	var p expfmt.TextParser
	fams, err := p.TextToMetricFamilies(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if g := fams["actorrent_ses_num_seeding_torrents"]; g == nil || g.GetMetric()[0].GetGauge().GetValue() != 1 {
		t.Errorf("actorrent_ses_num_seeding_torrents: %v", g)
	}
	if fams["actorrent_torrent_progress"] == nil {
		t.Error("no per-torrent series")
	}

	dst := filepath.Join(f.root, "dst")
	r := runDemo(t, 60*time.Second, nil, "download", "-peer", addr, "-metrics", "127.0.0.1:0", "-timeout", "50s", "-o", dst, f.torrent)
	checkDownloaded(t, r, f.total, f.src, dst)
	if !metricsRe.MatchString(r.stderr) {
		t.Errorf("download's stderr names no metrics address: %q", r.stderr)
	}
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d after SIGINT\nstderr: %s", code, seed.stderr.String())
	}
}
