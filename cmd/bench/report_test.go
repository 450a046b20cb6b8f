package main

import (
	"errors"
	"io"
	"math"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	cases := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{2, 2, 9}, 2},
	}
	for _, c := range cases {
		in := append([]float64(nil), c.in...)
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", in, got, c.want)
		}
		for i := range in {
			if in[i] != c.in[i] {
				t.Fatalf("median reordered its input: %v", c.in)
			}
		}
	}
	if got := median(nil); !math.IsNaN(got) {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}

func TestBenchLine(t *testing.T) {
	cases := []struct {
		ours, lt float64
		want     string
	}{
		{120.04, 240.0, "x: ours=120.0 MiB/s libtorrent=240.0 MiB/s ratio=0.50"},
		{100, 30, "x: ours=100.0 MiB/s libtorrent=30.0 MiB/s ratio=3.33"},
		{math.NaN(), 30, "x: ours=n/a libtorrent=30.0 MiB/s ratio=n/a"},
		{5, math.NaN(), "x: ours=5.0 MiB/s libtorrent=n/a ratio=n/a"},
		{5, 0, "x: ours=5.0 MiB/s libtorrent=0.0 MiB/s ratio=n/a"},
	}
	for _, c := range cases {
		if got := benchLine("x", "MiB/s", 1, c.ours, c.lt); got != c.want {
			t.Errorf("benchLine(%v, %v) =\n %q, want\n %q", c.ours, c.lt, got, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	const size = 1 << 30
	res := []result{
		{side: sideOurs, wall: 4 * time.Second, cpu: 8 * time.Second, rssKiB: 100 << 10},
		{side: sideLibtorrent, wall: 2 * time.Second, cpu: 2 * time.Second, rssKiB: 50 << 10},
		{side: sideOurs, wall: 2 * time.Second, cpu: 4 * time.Second, rssKiB: 300 << 10},
		{side: sideLibtorrent, wall: 4 * time.Second, cpu: 2 * time.Second, rssKiB: 50 << 10},
		{side: sideOurs, wall: 8 * time.Second, cpu: 6 * time.Second, rssKiB: 200 << 10, anon: 30 << 10},
		{side: sideLibtorrent, wall: 1 * time.Second, cpu: 4 * time.Second, rssKiB: 100 << 10, anon: 20 << 10},
	}
	want := []string{
		"download_tcp_1gib: ours=256.0 MiB/s libtorrent=512.0 MiB/s ratio=0.50",
		"download_tcp_1gib_cpu: ours=6.00 s/GiB libtorrent=2.00 s/GiB ratio=3.00",
		"download_tcp_1gib_rss: ours=200.0 MiB libtorrent=50.0 MiB ratio=4.00",
		"# download_tcp_1gib_anon: ours=30.0 MiB libtorrent=20.0 MiB ratio=1.50", // unknown (0) samples skipped
	}
	got := summary(lineDownload, res, size)
	if len(got) != len(want) {
		t.Fatalf("summary: %d lines, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d =\n %q, want\n %q", i, got[i], want[i])
		}
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]int64{
		"1GiB": 1 << 30, "128MiB": 128 << 20, "64KiB": 64 << 10, "3M": 3 << 20,
		"1000": 1000, "7B": 7, " 2 GiB ": 2 << 30,
	}
	for in, want := range good {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1MiB", "1.5GiB", "GiB", "1TiB", "99999999999GiB"} {
		if _, err := parseSize(in); !errors.Is(err, ErrUsage) {
			t.Errorf("parseSize(%q) error = %v, want ErrUsage", in, err)
		}
	}
}

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"-runs", "2", "-size", "128MiB", "-only", "libtorrent"}, io.Discard)
	if err != nil || c.runs != 2 || c.size != 128<<20 || c.wants(sideOurs) || !c.wants(sideLibtorrent) {
		t.Errorf("parseFlags = %+v, %v", c, err)
	}
	for _, bad := range [][]string{{"-runs", "0"}, {"-only", "rain"}, {"extra"}, {"-timeout", "0s"}} {
		if _, err := parseFlags(bad, io.Discard); !errors.Is(err, ErrUsage) {
			t.Errorf("parseFlags(%q) error = %v, want ErrUsage", bad, err)
		}
	}
}
