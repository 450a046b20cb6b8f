package udptracker

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// TestOpentracker announces two peers to Debian's opentracker over UDP:
// the second must be told about the first, and a scrape must count both.
func TestOpentracker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ih := [20]byte{0xac, 0x70, 0x12, 0x34}
	ot := interop.OpentrackerForTest(ctx, t, ih)
	addr, err := HostPort(ot.UDPAnnounceURL())
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{RetransmitBase: 500 * time.Millisecond}
	seeder := newClient(t, "udp4", "127.0.0.1:0", cfg)
	leecher := newClient(t, "udp4", "127.0.0.1:0", cfg)

	req := AnnounceRequest{InfoHash: ih, PeerID: [20]byte{'-', 'A', 'T'}, Port: 6881, Left: 0, Event: EventStarted, NumWant: 50, Key: 1}
	r1, err := seeder.Announce(ctx, addr, req)
	if err != nil {
		t.Fatalf("seeder announce: %v\n%s", err, ot.Log())
	}
	if r1.Interval <= 0 {
		t.Fatalf("interval %v", r1.Interval)
	}
	req.PeerID[3], req.Port, req.Left, req.Key = 'L', 6882, 1000, 2
	r2, err := leecher.Announce(ctx, addr, req)
	if err != nil {
		t.Fatalf("leecher announce: %v", err)
	}
	want := netip.MustParseAddrPort("127.0.0.1:6881")
	if !slices.Contains(r2.Peers, want) || r2.Complete != 1 || r2.Incomplete != 1 {
		t.Fatalf("leecher got %+v, want peer %v and 1 seeder, 1 leecher", r2, want)
	}
	sc, err := leecher.Scrape(ctx, addr, ih)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc) != 1 || sc[0].Complete != 1 || sc[0].Incomplete != 1 {
		t.Fatalf("scrape %+v", sc)
	}

	// Debian's opentracker drops announces for torrents off its whitelist
	// without a word: that must end as a timeout, not a hang.
	quick := newClient(t, "udp4", "127.0.0.1:0", Config{RetransmitBase: 200 * time.Millisecond, MaxRetries: -1})
	other := req
	other.InfoHash = [20]byte{0xff}
	if _, err := quick.Announce(ctx, addr, other); !errors.Is(err, ErrTimeout) {
		t.Fatalf("unlisted torrent: %v", err)
	}

	// The stopped event takes the seeder out of the swarm.
	req.PeerID[3], req.Port, req.Left, req.Event = 'A', 6881, 0, EventStopped
	if _, err := seeder.Announce(ctx, addr, req); err != nil {
		t.Fatal(err)
	}
	if sc, err := leecher.Scrape(ctx, addr, ih); err != nil || sc[0].Complete != 0 {
		t.Fatalf("scrape after stopped: %+v, %v", sc, err)
	}
}
