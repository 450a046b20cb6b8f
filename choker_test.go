package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A seeder with two upload slots (loopback peers in the global class, so
// that the slots apply to them) and four downloaders, all interested at
// once: every downloader completes (slots freed by finished peers and
// the optimistic slot move on), and the seeder never unchokes more than
// two. The seeder's torrent upload limit keeps the transfers long enough
// for all four to wait at once.
func TestChokerMorePeersThanSlotsComplete(t *testing.T) {
	const (
		slots     = 2
		downloads = 4
	)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"pay/a.bin": 1 << 20}, 11)
	ti, err := CreateTorrent(filepath.Join(src, "pay"), CreateTorrentOptions{PieceSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	sp := testSettings()
	sp.SetInt(UnchokeSlotsLimit, slots)
	_, sh, addr := globalSeed(ctx, t, sp, ti, src, 2<<20)
	var hs []TorrentHandle
	for range downloads {
		_, h, _ := downloadingSession(ctx, t, ti, t.TempDir())
		hs = append(hs, h)
	}
	for _, h := range hs {
		if err := h.ConnectPeer(ctx, addr); err != nil {
			t.Fatal(err)
		}
	}
	maxUploads, maxPeers := 0, 0
	for done := 0; done < downloads; {
		st, err := sh.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		maxUploads, maxPeers = max(maxUploads, st.NumUploads), max(maxPeers, st.NumPeers)
		if st.NumUploads > slots {
			t.Fatalf("the seeder unchokes %d peers with %d slots", st.NumUploads, slots)
		}
		done = 0
		for _, h := range hs {
			if s, err := h.Status(ctx); err == nil && s.IsSeeding {
				done++
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d of %d downloads completed", done, downloads)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Logf("at most %d unchoked of %d peers", maxUploads, maxPeers)
}
