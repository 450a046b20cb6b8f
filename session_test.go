package actorrent

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestSeedAndDownloadBetweenSessions(t *testing.T) {
	src := t.TempDir()
	writePayload(t, src, map[string]int64{
		"pay/a.bin":     3*1024*1024 + 12345,
		"pay/empty":     0,
		"pay/tiny":      100,
		"pay/sub/b.bin": 700 * 1024,
	}, 1)
	ti, err := CreateTorrent(filepath.Join(src, "pay"), CreateTorrentOptions{PieceSize: 256 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	seeder := newTestSession(t)
	sh, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, sh, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })

	dst := t.TempDir()
	leecher := newTestSession(t)
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := lh.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if st.TotalDone != ti.TotalSize() || st.NumPieces != ti.NumPieces() {
		t.Fatalf("done %d/%d bytes, %d/%d pieces", st.TotalDone, ti.TotalSize(), st.NumPieces, ti.NumPieces())
	}
	// Finished comes with every file on disk, the empty ones included
	// (the disk creates them before the last piece's PieceHashed).
	if err := sameTree(src, dst); err != nil {
		t.Fatal(err)
	}
	alerts, err := leecher.PopAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, a := range alerts {
		seen[a.What()]++
	}
	for _, w := range []string{"add_torrent", "torrent_added", "state_changed", "torrent_checked", "peer_connect", "piece_finished", "torrent_finished", "listen_succeeded"} {
		if seen[w] == 0 {
			t.Errorf("no %s alert; got %v", w, seen)
		}
	}
	if seen["piece_finished"] != ti.NumPieces() {
		t.Errorf("%d piece_finished alerts for %d pieces", seen["piece_finished"], ti.NumPieces())
	}
}

func TestAddDuplicateAndRemove(t *testing.T) {
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"f.bin": 100000}, 2)
	ti, err := CreateTorrent(filepath.Join(src, "f.bin"), CreateTorrentOptions{PieceSize: 32 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	h2, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil || h2 != h {
		t.Fatalf("re-add without duplicate_is_error: %v %v", h2, err)
	}
	if _, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Flags: FlagDuplicateIsError}); !errors.Is(err, ErrDuplicateTorrent) {
		t.Fatalf("duplicate: %v", err)
	}
	hs, err := s.GetTorrents(ctx)
	if err != nil || len(hs) != 1 {
		t.Fatalf("GetTorrents: %v %v", hs, err)
	}
	if err := s.RemoveTorrent(ctx, h, 0); err != nil {
		t.Fatal(err)
	}
	if h.IsValid(ctx) {
		t.Fatal("handle valid after remove")
	}
	if _, err := h.Status(ctx); !errors.Is(err, ErrInvalidHandle) {
		t.Fatalf("status after remove: %v", err)
	}
	if err := s.RemoveTorrent(ctx, h, 0); !errors.Is(err, ErrInvalidHandle) {
		t.Fatalf("second remove: %v", err)
	}
}
