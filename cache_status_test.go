package actorrent

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// A seed serving another session reads ahead and serves most requests
// from its read cache; GetCacheInfo reports it, per torrent or with no
// pieces, and the downloader's side shows its writes and hashes with
// nothing read back.
func TestGetCacheInfoAfterSeeding(t *testing.T) {
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"c.bin": 4<<20 + 777}, 5)
	ti, err := CreateTorrent(filepath.Join(src, "c.bin"), CreateTorrentOptions{PieceSize: 256 << 10})
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
	leecher := newTestSession(t)
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
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
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })

	blocks := int64(0)
	for p := range ti.NumPieces() {
		blocks += (ti.PieceSize(p) + 16<<10 - 1) / (16 << 10)
	}
	cs, err := seeder.GetCacheInfo(ctx, sh, 0)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Reads == 0 || cs.BlocksReadHit == 0 || cs.BlocksReadHit+cs.Reads < blocks || cs.BlocksRead < blocks {
		t.Fatalf("seeder %+v: want reads for %d blocks, most of them hits", cs, blocks)
	}
	if cs.ReadCacheSize == 0 || cs.ArcMRUSize+cs.ArcMFUSize == 0 || len(cs.Pieces) == 0 {
		t.Fatalf("seeder %+v: want pieces in the read cache", cs)
	}
	for _, p := range cs.Pieces {
		if p.Kind != ReadCache || p.InfoHash != sh.InfoHash() || len(p.Blocks) == 0 || p.LastUse.IsZero() {
			t.Fatalf("seeder piece %+v", p)
		}
	}
	if cs.AverageReadTime <= 0 || cs.CumulativeReadTime < cs.AverageReadTime || cs.AverageJobTime <= 0 {
		t.Fatalf("seeder timings %+v", cs)
	}
	if cs.WriteCacheSize != 0 || cs.ArcWriteSize != 0 || cs.TotalUsedBuffers < cs.ReadCacheSize {
		t.Fatalf("seeder %+v", cs)
	}
	none, err := seeder.GetCacheInfo(ctx, TorrentHandle{}, DiskCacheNoPieces)
	if err != nil {
		t.Fatal(err)
	}
	if none.Pieces != nil || none.ReadCacheSize != cs.ReadCacheSize || none.BlocksReadHit < cs.BlocksReadHit {
		t.Fatalf("with DiskCacheNoPieces: %+v", none)
	}
	all, err := seeder.GetCacheInfo(ctx, TorrentHandle{}, 0)
	if err != nil || len(all.Pieces) != len(cs.Pieces) {
		t.Fatalf("all torrents: %d pieces (%v), want %d", len(all.Pieces), err, len(cs.Pieces))
	}

	ls, err := leecher.GetCacheInfo(ctx, lh, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ls.BlocksWritten != blocks || ls.TotalReadBack != 0 || ls.WriteCacheSize != 0 || ls.PinnedBlocks != 0 {
		t.Fatalf("leecher %+v: want %d blocks written, nothing read back, an empty write cache", ls, blocks)
	}
	if ls.AverageHashTime <= 0 || ls.AverageWriteTime <= 0 || ls.CumulativeHashTime <= 0 {
		t.Fatalf("leecher timings %+v", ls)
	}

	// A handle of another session, or of a removed torrent, is invalid.
	if _, err := leecher.GetCacheInfo(ctx, sh, 0); !errors.Is(err, ErrInvalidHandle) {
		t.Fatalf("another session's handle: %v", err)
	}
	if err := leecher.RemoveTorrent(ctx, lh, 0); err != nil {
		t.Fatal(err)
	}
	// The disk forgets the torrent once its actor has stopped, a moment
	// after RemoveTorrent returns; nothing tells, so poll until ctx ends.
	for {
		_, err := leecher.GetCacheInfo(ctx, lh, 0)
		if errors.Is(err, ErrInvalidHandle) {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("removed torrent's handle: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}
