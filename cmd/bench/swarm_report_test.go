package main

import (
	"testing"
	"time"
)

func TestSwarmRunDetail(t *testing.T) {
	cases := []struct {
		r    swarmRun
		want string
	}{
		{swarmRun{side: sideOurs, run: 1, finishes: []time.Duration{3 * time.Second, 1500 * time.Millisecond, 2 * time.Second}},
			"# x run 1 ours       leechers=3 last=3.00 s first=1.50 s median=2.00 s"},
		{swarmRun{side: sideLibtorrent, run: 2, finishes: []time.Duration{4 * time.Second, 2 * time.Second}},
			"# x run 2 libtorrent leechers=2 last=4.00 s first=2.00 s median=3.00 s"},
		{swarmRun{side: sideOurs, run: 3},
			"# x run 3 ours       leechers=0 last=n/a first=n/a median=n/a"},
	}
	for _, c := range cases {
		if got := c.r.detail("x"); got != c.want {
			t.Errorf("detail(%v) =\n %q, want\n %q", c.r.finishes, got, c.want)
		}
	}
}

func TestSwarmSummary(t *testing.T) {
	secs := func(xs ...float64) []time.Duration {
		var ds []time.Duration
		for _, x := range xs {
			ds = append(ds, time.Duration(x*float64(time.Second)))
		}
		return ds
	}
	cases := []struct {
		name string
		runs []swarmRun
		want string
	}{
		{"one run each: the last finish", []swarmRun{
			{side: sideOurs, finishes: secs(5, 6)},
			{side: sideLibtorrent, finishes: secs(9, 10, 8)},
		}, "x: ours=6.00 s libtorrent=10.00 s ratio=0.60"},
		{"medians over runs of the last finish", []swarmRun{
			{side: sideOurs, finishes: secs(1, 30)},
			{side: sideLibtorrent, finishes: secs(10)},
			{side: sideOurs, finishes: secs(12)},
			{side: sideLibtorrent, finishes: secs(20)},
			{side: sideOurs, finishes: secs(14)},
			{side: sideLibtorrent, finishes: secs(5)},
		}, "x: ours=14.00 s libtorrent=10.00 s ratio=1.40"},
		{"one side only", []swarmRun{{side: sideLibtorrent, finishes: secs(4)}},
			"x: ours=n/a libtorrent=4.00 s ratio=n/a"},
	}
	for _, c := range cases {
		if got := swarmSummary("x", c.runs); got != c.want {
			t.Errorf("%s: got\n %q, want\n %q", c.name, got, c.want)
		}
	}
}

func TestParseOurFinished(t *testing.T) {
	cases := []struct {
		line   string
		n      int64
		wantOK bool
	}{
		{"downloaded 8388608 bytes in 12.34 s (0.6 MiB/s)", 8388608, true},
		{"downloaded 33554432 bytes in 3.1s (10.3 MiB/s)", 33554432, true},
		{"downloaded some bytes in 1 s", 0, false},
		{"progress 50%: downloaded 10 bytes in 1 s", 0, false},
		{"", 0, false},
	}
	for _, c := range cases {
		n, ok := parseOurFinished(c.line)
		if n != c.n || ok != c.wantOK {
			t.Errorf("parseOurFinished(%q) = %d, %v; want %d, %v", c.line, n, ok, c.n, c.wantOK)
		}
	}
}

func TestScrapeComplete(t *testing.T) {
	hash := "abcdefghijklmnopqrst"
	cases := []struct {
		body   string
		n      int
		wantOK bool
	}{
		{"d5:filesd20:" + hash + "d8:completei1e10:downloadedi0e10:incompletei0eeee", 1, true},
		{"d5:filesd20:" + hash + "d8:completei0e10:downloadedi0e10:incompletei3eeee", 0, true},
		{"d5:filesd20:" + hash + "d8:completei12e10:downloadedi2e10:incompletei0eeee", 12, true},
		{"d5:filesdee", 0, false},
		{"d14:failure reason21:Requested download is not authorizede", 0, false},
	}
	for _, c := range cases {
		n, ok := scrapeComplete([]byte(c.body))
		if n != c.n || ok != c.wantOK {
			t.Errorf("scrapeComplete(%q) = %d, %v; want %d, %v", c.body, n, ok, c.n, c.wantOK)
		}
	}
}

func TestPercentEncode(t *testing.T) {
	// A space must not become "+": opentracker's scrape would not find
	// the hash.
	if got, want := percentEncode([]byte{0x20, 0xa2, '+', 'k'}), "%20%A2%2B%6B"; got != want {
		t.Errorf("percentEncode = %q, want %q", got, want)
	}
}
