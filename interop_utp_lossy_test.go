package actorrent

import (
	"context"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/interop/udprelay"
)

// lossyUTPLink is issue 11's impairment for its lossy test, each way: 1%
// loss, 5% reordering, 20 ms of delay (no netem here: udprelay makes it).
var lossyUTPLink = udprelay.Impairment{Loss: 0.01, Reorder: 0.05, Delay: 20 * time.Millisecond}

// TestInteropUTPThroughLossyRelay: over uTP alone through a relay that
// loses, reorders and delays both ways, a libtorrent 2.0.8 seed uploads to
// us and we upload to a libtorrent downloader; the files arrive
// byte-identical, and the relay did drop and reorder on the way.
func TestInteropUTPThroughLossyRelay(t *testing.T) {
	needInterop(t)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	l := interopLayout{name: "lossy", top: "lossy.bin", files: map[string]int64{"lossy.bin": 1<<20 + 4321}}
	it := interopTorrent{layout: l, src: filepath.Join(dir, "src"), pieceSize: 64 << 10, creator: "ours",
		path: filepath.Join(dir, "lossy.torrent")}
	if err := interop.MakePayload(it.src, l.files, 311); err != nil {
		t.Fatal(err)
	}
	if err := it.create(ctx); err != nil {
		t.Fatal(err)
	}
	run := func(f func(context.Context, *testing.T, interopTorrent)) func(*testing.T) {
		return func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
			defer cancel()
			f(ctx, t, it)
		}
	}
	t.Run("libtorrent_seeds", run(lossyFromLibtorrent))
	t.Run("libtorrent_downloads", run(lossyToLibtorrent))
}

// startLossyRelay relays to target with lossyUTPLink both ways, and at
// the test's end checks that the direction carrying the payload (down:
// target to client; up: client to target) lost and reordered datagrams.
func startLossyRelay(t *testing.T, target string, seed uint64, payloadDown bool) *udprelay.Relay {
	t.Helper()
	r, err := udprelay.New(udprelay.Config{Target: netip.MustParseAddrPort(target), Up: lossyUTPLink, Down: lossyUTPLink, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		st := r.Stats()
		r.Close()
		t.Logf("relay: %+v", st)
		d := st.Up
		if payloadDown {
			d = st.Down
		}
		// Hundreds of datagrams carry the payload: with these seeds the
		// relay's first hundred decisions include drops and holds.
		if !t.Failed() && (d.Dropped == 0 || d.Reordered == 0) {
			t.Errorf("the relay neither dropped nor reordered the payload's datagrams: %+v", st)
		}
	})
	return r
}

// lossyFromLibtorrent: a uTP-only libtorrent seed behind the relay, a
// uTP-only session of ours dialling the relay.
func lossyFromLibtorrent(ctx context.Context, t *testing.T, it interopTorrent) {
	seeder := libtorrentSeeding(ctx, t, interop.Options{Torrent: it.path, Save: it.src, UTPOnly: true})
	relay := startLossyRelay(t, seeder.Addr(), 1, true)
	s := newTestSessionWith(t, utpOnly())
	dst := t.TempDir()
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: it.ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, relay.Addr().String()); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, it.src, dst)
}

// lossyToLibtorrent: a uTP-only session of ours seeds behind the relay to
// a uTP-only libtorrent downloader dialling the relay.
func lossyToLibtorrent(ctx context.Context, t *testing.T, it interopTorrent) {
	s := newTestSessionWith(t, utpOnly())
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: it.ti, SavePath: it.src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	relay := startLossyRelay(t, addrs[0], 2, true)
	dst := t.TempDir()
	dl, err := interop.StartDownloader(ctx, interop.Options{Torrent: it.path, Save: dst, Peers: []string{relay.Addr().String()},
		UTPOnly: true, Timeout: 100 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "downloader", dl)
	if _, err := dl.WaitFinished(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-dl.Exited():
	case <-ctx.Done():
		t.Fatal("libtorrent downloader did not exit after finishing")
	}
	checkSameTree(t, it.src, dst)
}
