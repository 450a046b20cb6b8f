package main

import (
	"path/filepath"
	"testing"
	"time"
)

func TestLimitFlagsRefuseBadRates(t *testing.T) {
	for _, args := range [][]string{
		{"seed", "-up-limit", "-1", "x.torrent", "."},
		{"download", "-down-limit", "2MB", "-o", "x", "x.torrent"},
	} {
		oneLineFailure(t, runDemo(t, 20*time.Second, nil, args...), exitUsage, "limit")
	}
}

// -up-limit on the seed and -down-limit on the download hold a transfer
// between two processes on 127.0.0.1 (loopback peers included). Checked
// as a lower bound on the time it takes, which a slow machine cannot
// break; make bench measures the accuracy.
func TestSeedAndDownloadWithLimits(t *testing.T) {
	const rate = 2_000_000
	f := newFixture(t)
	limited := startDemo(t, "seed", "-listen", "127.0.0.1:0", "-resume-dir", "", "-up-limit", "2000000", f.torrent, f.src)
	line := limited.waitLine("listening on ", 30*time.Second)
	m := listenRe.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("seed printed %q", line)
	}
	_, open := startSeed(t, f.torrent, f.src)
	minimum := time.Duration(float64(f.total) / rate * 0.8 * float64(time.Second))
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"seed's -up-limit", []string{"-peer", m[1]}},
		{"download's -down-limit", []string{"-peer", open, "-down-limit", "2000000"}},
	} {
		dst := filepath.Join(f.root, "dst-"+tc.args[1])
		start := time.Now()
		args := append([]string{"download", "-resume-dir", "", "-timeout", "50s", "-o", dst}, tc.args...)
		r := runDemo(t, 60*time.Second, nil, append(args, f.torrent)...)
		took := time.Since(start)
		checkDownloaded(t, r, f.total, f.src, dst)
		t.Logf("%s: %d bytes in %v", tc.name, f.total, took)
		if took < minimum {
			t.Errorf("%s: %d bytes at %d B/s took %v, less than %v", tc.name, f.total, rate, took, minimum)
		}
	}
}
