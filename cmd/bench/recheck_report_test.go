package main

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

func TestRecheckLine(t *testing.T) {
	cases := []struct {
		ours, lt, limit, of float64
		want                string
	}{
		{2.904, 1.1, 3.4, 0.854, "r: ours=2.90 GiB/s libtorrent=1.10 GiB/s ratio=2.64 sha1_limit=3.40 GiB/s of_limit=0.85"},
		{math.NaN(), 1.1, 3.4, math.NaN(), "r: ours=n/a libtorrent=1.10 GiB/s ratio=n/a sha1_limit=3.40 GiB/s of_limit=n/a"},
		{3, math.NaN(), 3.4, 0.88, "r: ours=3.00 GiB/s libtorrent=n/a ratio=n/a sha1_limit=3.40 GiB/s of_limit=0.88"},
	}
	for _, c := range cases {
		if got := recheckLine("r", c.ours, c.lt, c.limit, c.of); got != c.want {
			t.Errorf("recheckLine =\n %q, want\n %q", got, c.want)
		}
	}
}

// The summary takes medians, and of_limit is the median of the rounds'
// own ratios (each round's limit measured next to its checks).
func TestRecheckSummary(t *testing.T) {
	runs := []recheckRun{
		{run: 1, limit: 3.0, allCores: 3.0, ours: 2.7, lt: 1.0}, // 0.90
		{run: 2, limit: 2.0, allCores: 1.2, ours: 1.0, lt: 0.5}, // 0.50: a busy moment
		{run: 3, limit: 4.0, allCores: 3.9, ours: 3.6, lt: 1.5}, // 0.90
	}
	got := recheckSummary("recheck_1gib_single", runs)
	want := []string{
		"recheck_1gib_single: ours=2.70 GiB/s libtorrent=1.00 GiB/s ratio=2.70 sha1_limit=3.00 GiB/s of_limit=0.90",
		"# recheck_1gib_single: bar ours >= 0.85 of sha1_limit met (rounds: 0.90 0.50* 0.90; " +
			"* = busy machine, all cores at once < 90% of the limit)",
	}
	if len(got) != len(want) {
		t.Fatalf("summary %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d =\n %q, want\n %q", i, got[i], want[i])
		}
	}
	runs[0].ours, runs[2].ours = 2.0, 3.0
	if got := recheckSummary("x", runs); !strings.Contains(got[1], "NOT met") {
		t.Errorf("below the bar: %q", got[1])
	}
	// Only libtorrent measured: no of_limit, no bar line.
	lt := []recheckRun{{run: 1, limit: 3, ours: math.NaN(), lt: 1}}
	if got := recheckSummary("x", lt); len(got) != 1 || !strings.HasSuffix(got[0], "of_limit=n/a") {
		t.Errorf("libtorrent only: %q", got)
	}
}

func TestRecheckDetail(t *testing.T) {
	r := recheckRun{run: 2, limit: 3.4, ours: 3.0, lt: 1.0, limitNote: "L", oursNote: "O", ltNote: "T"}
	want := "# run 2 x sha1_limit=3.40 GiB/s (L) ours=3.00 GiB/s of_limit=0.88 (O) libtorrent=1.00 GiB/s (T)"
	if got := r.detail("x"); got != want {
		t.Errorf("detail =\n %q, want\n %q", got, want)
	}
}

func TestParseFlagsLines(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	if err != nil || !c.runsLine(lineDownload) || !c.runsLine(lineRecheckMulti) {
		t.Fatalf("default: %+v, %v", c, err)
	}
	c, err = parseFlags([]string{"-lines", "recheck_1gib_single, recheck_1gib_multi"}, io.Discard)
	if err != nil || c.runsLine(lineDownload) || !c.runsLine(lineRecheckSingle) || !c.runsLine(lineRecheckMulti) {
		t.Fatalf("-lines: %+v, %v", c, err)
	}
	if _, err := parseFlags([]string{"-lines", "recheck_2gib"}, io.Discard); !errors.Is(err, ErrUsage) {
		t.Fatalf("unknown line: %v", err)
	}
}
