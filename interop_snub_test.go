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

// alertEndpoint is the peer of the per-peer alerts these tests look at.
func alertEndpoint(a Alert) string {
	switch a := a.(type) {
	case BlockDownloadingAlert:
		return a.Endpoint
	case BlockTimeoutAlert:
		return a.Endpoint
	case PeerSnubbedAlert:
		return a.Endpoint
	case PeerUnsnubbedAlert:
		return a.Endpoint
	}
	return ""
}

func isWhat(what string) func(Alert) bool { return func(a Alert) bool { return a.What() == what } }

// TestInteropCrawlingSeed: a libtorrent seed limited to a crawl (1000 B/s,
// a block every 16 s) holds requests of ours when a second libtorrent
// seed, without a limit, connects; the download still finishes at the
// fast seed's speed.
//
//   - snubbed: with piece_timeout 3 s, the crawling seed is snubbed first
//     (peer_snubbed naming it, block_timeout for a request handed back);
//   - end game: with the default timeouts (20 s, 60 s), nothing times out
//     before the download is done: the blocks the crawling seed holds are
//     requested from the fast one too, and never waited for.
func TestInteropCrawlingSeed(t *testing.T) {
	needInterop(t)
	t.Parallel()
	for _, c := range []struct {
		name         string
		pieceTimeout int
		snubFirst    bool
	}{{"snubbed", 3, true}, {"end game", 20, false}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			crawlingSeed(t, c.pieceTimeout, c.snubFirst)
		})
	}
}

func crawlingSeed(t *testing.T, pieceTimeout int, snubFirst bool) {
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
	set.SetInt(PieceTimeout, pieceTimeout)
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
	fromSlow := func(what string) func(Alert) bool {
		return func(a Alert) bool {
			return a.What() == what && alertEndpoint(a) == slow.Addr()
		}
	}
	log.wait(ctx, t, "block_downloading from the crawling seed", fromSlow("block_downloading"))
	if snubFirst {
		snub := log.wait(ctx, t, "peer_snubbed", fromSlow("peer_snubbed")).(PeerSnubbedAlert)
		t.Logf("crawling seed snubbed after %s", time.Since(start).Round(time.Millisecond))
		if snub.Handle != h {
			t.Errorf("peer_snubbed of %v, want %v", snub.Handle, h)
		}
		log.wait(ctx, t, "block_timeout from the crawling seed", fromSlow("block_timeout"))
	}

	if err := h.ConnectPeer(ctx, fast.Addr()); err != nil {
		t.Fatal(err)
	}
	fastAt := time.Now()
	st := waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	took := time.Since(fastAt)
	t.Logf("%d MiB from the fast seed in %s beside the crawling one", size>>20, took.Round(time.Millisecond))
	// The crawling seed alone would take over two hours, and one block of
	// it 16 s: the download never waited for it.
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
	snubs, timeouts := log.count(fromSlow("peer_snubbed")), log.count(fromSlow("block_timeout"))
	t.Logf("crawling seed: %d peer_snubbed, %d peer_unsnubbed, %d block_timeout", snubs, log.count(fromSlow("peer_unsnubbed")), timeouts)
	if !snubFirst && time.Since(start) < time.Duration(pieceTimeout)*time.Second && snubs+timeouts > 0 {
		t.Errorf("%d peer_snubbed and %d block_timeout before piece_timeout", snubs, timeouts)
	}
	if n := log.count(func(a Alert) bool { return a.What() == "peer_snubbed" && !fromSlow("peer_snubbed")(a) }); n > 0 {
		t.Errorf("the fast seed was snubbed %d times", n)
	}
}
