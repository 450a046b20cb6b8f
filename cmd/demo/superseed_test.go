package main

import (
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
)

// metricValue is a counter's or gauge's value in a family (-1: none).
func metricValue(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p expfmt.TextParser
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	f := fams[name]
	if f == nil || len(f.GetMetric()) == 0 {
		return -1
	}
	m := f.GetMetric()[0]
	if c := m.GetCounter(); c != nil {
		return c.GetValue()
	}
	return m.GetGauge().GetValue()
}

// demo seed -super-seed: the download completes from a super seed, which
// opened with have_none and HAVEs, never have_all.
func TestSuperSeedFlag(t *testing.T) {
	f := newFixture(t)
	seed := startDemo(t, "seed", "-listen", "127.0.0.1:0", "-resume-dir", "", "-super-seed", "-metrics", "127.0.0.1:0", f.torrent, f.src)
	addr := listenRe.FindStringSubmatch(seed.waitLine("listening on ", 30*time.Second))[1]
	dst := filepath.Join(f.root, "dst")
	r := runDemo(t, 60*time.Second, nil, "download", "-peer", addr, "-resume-dir", "", "-timeout", "50s", "-o", dst, f.torrent)
	checkDownloaded(t, r, f.total, f.src, dst)
	m := metricsRe.FindStringSubmatch(seed.stderr.String())
	if m == nil {
		t.Fatalf("seed's stderr names no metrics address: %q", seed.stderr.String())
	}
	for _, c := range []struct {
		name string
		ok   func(float64) bool
	}{
		{"actorrent_ses_num_outgoing_have_none_total", func(v float64) bool { return v == 1 }},
		{"actorrent_ses_num_outgoing_have_all_total", func(v float64) bool { return v <= 0 }},
		{"actorrent_ses_num_outgoing_have_total", func(v float64) bool { return v >= 2 }},
	} {
		if v := metricValue(t, m[1], c.name); !c.ok(v) {
			t.Errorf("%s = %v", c.name, v)
		}
	}
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d after SIGINT\nstderr: %s", code, seed.stderr.String())
	}
}
