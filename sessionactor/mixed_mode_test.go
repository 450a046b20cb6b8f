package sessionactor

import (
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
)

// The tcp class follows mixed_mode_algorithm each second: peer_proportional
// throttles it to TCP's share of the session's rate while uTP peers move
// data, and lets it go when none does; prefer_tcp leaves it unthrottled.
func TestMixedModeThrottlesTheTCPClass(t *testing.T) {
	bw := actors.NewBandwidth(100 * time.Millisecond)
	defer bw.Close()
	act := actors.NewActivity()
	a := &Actor{bw: bw, set: settings.Default(), mixed: mixedState{activity: act},
		torrents: map[messages.InfoHash]*entry{
			{1}: {last: &messages.TorrentStatsUpdate{UploadRate: 600_000, DownloadRate: 900_000}},
			{2}: {}, // no report yet
		}}
	limits := func() (up, down int64) {
		t.Helper()
		c, err := bw.Class(ratelimit.TCPClass)
		if err != nil {
			t.Fatal(err)
		}
		return c.UploadLimit, c.DownloadLimit
	}
	tcp, utp1, utp2 := actors.NewActivityHolder(act, false), actors.NewActivityHolder(act, true), actors.NewActivityHolder(act, true)
	tcp.Set(ratelimit.Download, true)
	tcp.Set(ratelimit.Upload, true)
	mixedMode{a}.tick()
	if up, down := limits(); up != 0 || down != 0 {
		t.Fatalf("no uTP peer: tcp class %d/%d, want unthrottled", up, down)
	}
	utp1.Set(ratelimit.Download, true)
	utp2.Set(ratelimit.Download, true)
	utp1.Set(ratelimit.Upload, true)
	mixedMode{a}.tick()
	if up, down := limits(); up != 300_000 || down != 300_000 {
		t.Fatalf("one TCP, uTP 1 up and 2 down: tcp class %d/%d, want 300000/300000", up, down)
	}
	a.set, _ = a.set.With(map[string]any{"mixed_mode_algorithm": preferTCP})
	mixedMode{a}.tick()
	if up, down := limits(); up != 0 || down != 0 {
		t.Fatalf("prefer_tcp: tcp class %d/%d, want unthrottled", up, down)
	}
}

// rate_limit_utp off keeps uTP peers out of the global and local classes;
// on lets them back in; TCP peers are not touched.
func TestRateLimitUTP(t *testing.T) {
	all := ratelimit.Mask(ratelimit.GlobalClass, ratelimit.LocalClass)
	off := rateLimitUTP(ratelimit.DefaultTypeFilter(), false)
	if m := off.Apply(ratelimit.UTPSocket, all); m != 0 {
		t.Fatalf("rate_limit_utp off: a uTP peer's classes %#x", m)
	}
	if m := off.Apply(ratelimit.TCPSocket, all); m != all|ratelimit.Mask(ratelimit.TCPClass) {
		t.Fatalf("rate_limit_utp off: a TCP peer's classes %#x", m)
	}
	if on := rateLimitUTP(off, true); on != ratelimit.DefaultTypeFilter() {
		t.Fatal("rate_limit_utp on again is not the default filter")
	}
}
