package main

import (
	"reflect"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

func TestStormRunDetail(t *testing.T) {
	cases := []struct {
		r    stormRun
		want string
	}{
		{stormRun{storm: "have", side: sideOurs, run: 1, sent: 2_000_000, wall: 800 * time.Millisecond,
			cpu: 740 * time.Millisecond, anonKiB: 10240, replies: 1},
			"# hostile_storms_cpu_have run 1 ours       msgs=2000000 wall=0.80s (2.50 M msg/s) cpu=0.74s (0.370 s/M) rss_growth=10.0MiB replies=1"},
		{stormRun{storm: "choke", side: sideLibtorrent, run: 2, sent: 500_000, early: true, wall: 250 * time.Millisecond,
			cpu: 100 * time.Millisecond, anonKiB: 512, replies: 2, note: `write: broken pipe lt_closed="too many messages"`},
			`# hostile_storms_cpu_choke run 2 libtorrent msgs=500000 wall=0.25s (2.00 M msg/s) cpu=0.10s (0.200 s/M) rss_growth=0.5MiB replies=2 closed_early write: broken pipe lt_closed="too many messages"`},
		{stormRun{storm: "x", side: sideOurs, run: 3},
			"# hostile_storms_cpu_x run 3 ours       msgs=0 wall=0.00s (n/a) cpu=0.00s (n/a) rss_growth=0.0MiB replies=0"},
	}
	for _, c := range cases {
		if got := c.r.detail(); got != c.want {
			t.Errorf("got\n %q, want\n %q", got, c.want)
		}
	}
}

func TestStormSummary(t *testing.T) {
	run := func(side string, sent int, cpuMs, anonKiB int64, early bool) stormRun {
		return stormRun{side: side, sent: sent, cpu: time.Duration(cpuMs) * time.Millisecond, anonKiB: anonKiB, early: early}
	}
	cases := []struct {
		name string
		runs []stormRun
		want []string
	}{
		{"medians of per-million CPU and of growth", []stormRun{
			run(sideOurs, 2_000_000, 800, 10<<10, false),
			run(sideLibtorrent, 2_000_000, 400, 4<<10, false),
			run(sideOurs, 2_000_000, 1000, 12<<10, false),
			run(sideLibtorrent, 2_000_000, 500, 5<<10, false),
			run(sideOurs, 2_000_000, 600, 20<<10, false),
			run(sideLibtorrent, 2_000_000, 300, 6<<10, false),
		}, []string{
			"hostile_storms_cpu_x: ours=0.400 s/M libtorrent=0.200 s/M ratio=2.00",
			"hostile_storms_rss_x: ours=12.0 MiB libtorrent=5.0 MiB ratio=2.40",
		}},
		{"an early close is per message taken, and said", []stormRun{
			run(sideOurs, 2_000_000, 1000, 8<<10, false),
			run(sideLibtorrent, 100_000, 50, 1<<10, true),
		}, []string{
			"hostile_storms_cpu_x: ours=0.500 s/M libtorrent=0.500 s/M ratio=1.00",
			"hostile_storms_rss_x: ours=8.0 MiB libtorrent=1.0 MiB ratio=8.00",
			"# hostile_storms_cpu_x: libtorrent's seeder dropped the storming peer early in 1 of 1 runs " +
				"(median 100000 messages written); its figures are per message it took",
		}},
		{"one side only", []stormRun{run(sideOurs, 1_000_000, 300, 2<<10, false)}, []string{
			"hostile_storms_cpu_x: ours=0.300 s/M libtorrent=n/a ratio=n/a",
			"hostile_storms_rss_x: ours=2.0 MiB libtorrent=n/a ratio=n/a",
		}},
	}
	for _, c := range cases {
		if got := stormSummary("x", c.runs); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got\n %q, want\n %q", c.name, got, c.want)
		}
	}
}

func TestFirstDisconnect(t *testing.T) {
	cases := []struct {
		name string
		evs  []interop.Event
		want string
	}{
		{"the first peer alert, without its prefix", []interop.Event{
			{Event: "progress"},
			{Event: "alert", Type: "peer_disconnected", Message: "x.bin peer [ 127.0.0.1:1 client: BTSlave ] peer error [bittorrent] [libtorrent]: 'have'-message with higher index"},
			{Event: "alert", Type: "peer_error", Message: "later"},
		}, `"'have'-message with higher index"`},
		{"a message without a prefix", []interop.Event{{Event: "alert", Type: "peer_error", Message: "timed out"}}, `"timed out"`},
		{"other alerts only", []interop.Event{{Event: "alert", Type: "hash_failed", Message: "x"}}, ""},
		{"none", nil, ""},
	}
	for _, c := range cases {
		if got := firstDisconnect(c.evs); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
