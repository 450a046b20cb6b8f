package interop

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop/udprelay"
)

// lossyLink is issue 11's impairment for uTP transfers, each way: 1%
// loss, 5% reordering, 20 ms of delay.
var lossyLink = udprelay.Impairment{Loss: 0.01, Reorder: 0.05, Delay: 20 * time.Millisecond}

// TestLibtorrentUTPThroughLossyRelay: libtorrent to libtorrent over uTP
// only, through the relay: the bytes arrive whole, and the relay did drop
// and reorder on the way (the relay works with a real uTP stack; the same
// rig, with our engine on one side, is issue 11's lossy test).
func TestLibtorrentUTPThroughLossyRelay(t *testing.T) {
	needLibtorrent(t, false)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	f := newFixture(ctx, t, nil)
	seeder, err := StartSeeder(ctx, Options{Torrent: f.torrent, Save: f.src, UTPOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	stopAll(t, seeder)
	if err := seeder.WaitSeeding(ctx); err != nil {
		t.Fatal(err)
	}
	relay, err := udprelay.New(udprelay.Config{
		Target: netip.MustParseAddrPort(seeder.Addr()), Up: lossyLink, Down: lossyLink, Seed: 11,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer relay.Close()
	dl, err := StartDownloader(ctx, Options{
		Torrent: f.torrent, Save: f.dst, Peers: []string{relay.Addr().String()}, UTPOnly: true, Timeout: 80 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	stopAll(t, dl)
	if _, err := dl.WaitFinished(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-dl.Exited():
	case <-ctx.Done():
		t.Fatal("downloader did not exit after finishing")
	}
	if err := dl.Stop(); err != nil {
		t.Fatalf("downloader exit: %v", err)
	}
	if err := CompareTrees(f.src, f.dst); err != nil {
		t.Fatal(err)
	}
	// The payload needs at least one datagram per 1472 bytes (libtorrent's
	// ceiling) on the way down: with this seed, the relay's first hundreds
	// of decisions include drops and holds.
	var total int64
	for _, n := range testPayload {
		total += n
	}
	st := relay.Stats()
	t.Logf("relay: %+v", st)
	if st.Clients != 1 || int64(st.Down.Forwarded) < total/1472 || st.Down.Dropped == 0 || st.Down.Reordered == 0 {
		t.Errorf("relay stats %+v; want one client, the payload carried down with drops and reorders", st)
	}
}
