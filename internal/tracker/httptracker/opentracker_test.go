package httptracker

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/tracker"
)

// TestOpentracker announces to Debian's opentracker on 127.0.0.1: two peers
// of a whitelisted torrent see each other, scrape counts them, stopped
// removes one, and a torrent off the whitelist is a failure reason.
func TestOpentracker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ih := [20]byte{0xac, 0x70, 0x12, 0x34}
	ot := interop.OpentrackerForTest(ctx, t, ih)
	c := New(Options{})
	defer c.CloseIdleConnections()
	u := ot.HTTPAnnounceURL()

	leecher := tracker.AnnounceRequest{InfoHash: ih, PeerID: [20]byte{'-', 'A', 'T', '0', '1', '0', '0', '-', 'l'},
		Port: 40001, Left: 1000, Event: tracker.EventStarted, NumWant: 50, Key: 1, Compact: true}
	seeder := leecher
	seeder.PeerID[8], seeder.Port, seeder.Left, seeder.Key = 's', 40002, 0, 2

	if _, err := c.Announce(ctx, u, leecher); err != nil {
		t.Fatalf("leecher started: %v\n%s", err, ot.Log())
	}
	r, err := c.Announce(ctx, u, seeder)
	if err != nil {
		t.Fatalf("seeder started: %v\n%s", err, ot.Log())
	}
	if !slices.Contains(r.Peers, netip.MustParseAddrPort("127.0.0.1:40001")) {
		t.Fatalf("seeder does not see the leecher: %v", r.Peers)
	}
	if r.Interval <= 0 || r.Complete != 1 || r.Incomplete != 1 {
		t.Fatalf("reply %+v", r)
	}

	s, err := c.Scrape(ctx, u, ih)
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	if got := s[ih]; got.Complete != 1 || got.Incomplete != 1 {
		t.Fatalf("scrape %+v", s)
	}

	leecher.Event, leecher.NumWant = tracker.EventStopped, 0
	if _, err := c.Announce(ctx, u, leecher); err != nil {
		t.Fatalf("leecher stopped: %v", err)
	}
	if s, err = c.Scrape(ctx, u, ih); err != nil || s[ih].Incomplete != 0 || s[ih].Complete != 1 {
		t.Fatalf("scrape after stopped: %+v, %v", s, err)
	}

	other := seeder
	other.InfoHash = [20]byte{0xff}
	var fe *tracker.FailureError
	if _, err := c.Announce(ctx, u, other); !errors.As(err, &fe) {
		t.Fatalf("off-whitelist announce: %v", err)
	}
}
