package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// TestInteropFastExtension: the fast extension (BEP 6) against libtorrent,
// which always sets the bit. Downloading from a libtorrent seed, its
// opening message is have_all and ours have_none. Seeding with no upload
// slots (we never unchoke) and an allowed-fast set as large as the
// torrent, a libtorrent downloader gets every piece while choked: it reads
// our allowed_fast messages and asks only for those pieces.
func TestInteropFastExtension(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	const size, pieceLen = 2 << 20, 64 << 10
	const pieces, blocks = size / pieceLen, size / (16 << 10)
	if err := interop.MakePayload(src, map[string]int64{"data.bin": size}, 13); err != nil {
		t.Fatal(err)
	}
	tpath := filepath.Join(dir, "t.torrent")
	if err := interop.CreateTorrentWithLibtorrent(ctx, filepath.Join(src, "data.bin"), tpath, pieceLen, nil); err != nil {
		t.Fatal(err)
	}
	ti, err := LoadTorrentFile(tpath)
	if err != nil {
		t.Fatal(err)
	}
	counters := func(s *Session) func(string) int64 {
		v, err := s.SessionStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return func(name string) int64 { return v[FindMetricIdx(name)] }
	}

	t.Run("download from libtorrent", func(t *testing.T) {
		seed := libtorrentSeeding(ctx, t, interop.Options{Torrent: tpath, Save: src})
		dst := t.TempDir()
		s, h, _ := downloadingSession(ctx, t, ti, dst)
		if err := h.ConnectPeer(ctx, seed.Addr()); err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
		checkSameTree(t, src, dst)
		c := counters(s)
		for _, name := range []string{"ses.num_incoming_have_all", "ses.num_outgoing_have_none"} {
			if c(name) != 1 {
				t.Errorf("%s = %d, want 1", name, c(name))
			}
		}
		if n := c("ses.num_incoming_bitfield"); n != 0 {
			t.Errorf("ses.num_incoming_bitfield = %d: libtorrent's seed sends have_all with fast", n)
		}
	})

	t.Run("upload to libtorrent while choking it", func(t *testing.T) {
		set := testSettings()
		set.SetInt(UnchokeSlotsLimit, 0)
		set.SetInt(AllowedFastSetSize, pieces)
		s := newTestSessionWith(t, set)
		// Loopback is in the local class, which ignores the slots.
		if err := s.SetPeerClassFilter(ctx, everythingGlobal(t)); err != nil {
			t.Fatal(err)
		}
		h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
		addrs, err := s.ListenAddrs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		libtorrentFetches(ctx, t, interop.Options{Torrent: tpath, Peers: addrs[:1]}, src, "")
		c := counters(s)
		// libtorrent may hang up when it finished before its last HAVE
		// reached us, and we then connect back to its listen port (which
		// we keep, as libtorrent does) until its have_all says it is a
		// seed: each connection gets a have_all and up to its
		// allowed-fast set.
		conns := c("ses.num_outgoing_have_all")
		if conns < 1 || conns > 2 {
			t.Errorf("ses.num_outgoing_have_all = %d, want 1 (or 2 with a reconnection)", conns)
		}
		if af := c("ses.num_outgoing_allowed_fast"); af < pieces || af > conns*pieces {
			t.Errorf("ses.num_outgoing_allowed_fast = %d, want %d per connection", af, pieces)
		}
		exact := []struct {
			name string
			want int64
		}{
			{"ses.num_outgoing_bitfield", 0},
			{"ses.num_outgoing_unchoke", 0},
			{"ses.num_outgoing_piece", blocks},
			{"ses.num_incoming_have_none", 1},
		}
		for _, e := range exact {
			if got := c(e.name); got != e.want {
				t.Errorf("%s = %d, want %d", e.name, got, e.want)
			}
		}
		t.Logf("rejects sent %d, choked requests %d", c("ses.num_outgoing_reject"), c("peer.choked_piece_requests"))
	})
}
