package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// subscribedLog records every alert of s (faults_helpers_test.go's
// alertLog) until the session closes.
func subscribedLog(ctx context.Context, t *testing.T, s *Session) *alertLog {
	t.Helper()
	log := &alertLog{wake: make(chan struct{}, 1)}
	ch, err := s.Subscribe(context.Background(), CategoryAll)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for a := range ch {
			log.add(a)
		}
	}()
	return log
}

func isWhat(what string) func(Alert) bool { return func(a Alert) bool { return a.What() == what } }

// TestInteropSnubbedSeed: a libtorrent seed limited to a crawl (1000 B/s,
// a block every 16 s) leaves our requests unanswered past piece_timeout
// (3 s here): we snub it (peer_snubbed naming it) and hand its requests
// back (block_timeout). A second libtorrent seed without a limit then
// brings the whole torrent at its own speed: the blocks the crawling seed
// holds are asked of the fast one too (end game) and never waited for.
func TestInteropSnubbedSeed(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	const size = 8 << 20
	if err := interop.MakePayload(src, map[string]int64{"data.bin": size}, 11); err != nil {
		t.Fatal(err)
	}
	tpath := filepath.Join(dir, "t.torrent")
	if err := interop.CreateTorrentWithLibtorrent(ctx, filepath.Join(src, "data.bin"), tpath, 64<<10, nil); err != nil {
		t.Fatal(err)
	}
	ti, err := LoadTorrentFile(tpath)
	if err != nil {
		t.Fatal(err)
	}
	slow := libtorrentSeeding(ctx, t, interop.Options{Torrent: tpath, Save: src, UploadLimit: 1000})
	fast := libtorrentSeeding(ctx, t, interop.Options{Torrent: tpath, Save: src})

	set := testSettings()
	set.SetInt(PieceTimeout, 3)
	s := newTestSessionWith(t, set)
	log := subscribedLog(ctx, t, s)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, slow.Addr()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	snub := log.wait(ctx, t, "peer_snubbed", func(a Alert) bool { _, ok := a.(PeerSnubbedAlert); return ok }).(PeerSnubbedAlert)
	t.Logf("crawling seed snubbed after %s", time.Since(start).Round(time.Millisecond))
	if snub.Endpoint != slow.Addr() || snub.Handle != h {
		t.Errorf("peer_snubbed names %s of %v, want the crawling seed %s", snub.Endpoint, snub.Handle, slow.Addr())
	}
	log.wait(ctx, t, "block_timeout", func(a Alert) bool {
		bt, ok := a.(BlockTimeoutAlert)
		return ok && bt.Endpoint == slow.Addr()
	})

	if err := h.ConnectPeer(ctx, fast.Addr()); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	st := waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	took := time.Since(start)
	t.Logf("%d MiB from the fast seed in %s beside the crawling one", size>>20, took.Round(time.Millisecond))
	// The crawling seed alone would take over two hours, and one block
	// of it 16 s: the download never waited for it.
	if took > 15*time.Second {
		t.Errorf("finished %s after the fast seed connected, want its speed", took)
	}
	if !st.Pieces.All() {
		t.Fatalf("finished with %d/%d pieces", st.NumPieces, ti.NumPieces())
	}
	checkSameTree(t, src, dst)
	for _, what := range []string{"peer_error", "hash_failed", "torrent_error", "file_error", "alerts_dropped", "unwanted_block"} {
		if n := log.count(isWhat(what)); n > 0 {
			t.Errorf("%d %s alerts", n, what)
		}
	}
	t.Logf("alerts: %d peer_snubbed, %d peer_unsnubbed, %d block_timeout", log.count(isWhat("peer_snubbed")), log.count(isWhat("peer_unsnubbed")), log.count(isWhat("block_timeout")))
}
