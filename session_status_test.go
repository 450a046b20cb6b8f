package actorrent

import (
	"context"
	"testing"
	"time"
)

// waitSessionStatus polls the session's status until cond holds: the
// torrents report their counters once a second.
func waitSessionStatus(ctx context.Context, t *testing.T, s *Session, what string, cond func(SessionStatus) bool) SessionStatus {
	t.Helper()
	for {
		st, err := s.Status(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if cond(st) {
			return st
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s: %+v", what, st)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// The session_status fields, and the torrent_status fields a transfer
// fills, over one download on loopback.
func TestSessionStatusAndTransferFields(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, _, seeder, sh := seededPair(t, ctx)
	addrs, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSession(t)
	st, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.HasIncomingConnections || st.NumTorrents != 0 || st.AllowedUploadSlots != 8 || st.NumPeers != 0 ||
		st.DHTNodes != 0 || st.ActiveRequests != nil || st.UTPStats != (UTPStatus{}) || st.TotalIPOverheadDownload != 0 {
		t.Fatalf("fresh session: %+v", st)
	}
	other, src := oneFileTorrent(t)
	if _, err := s.AddTorrent(ctx, AddTorrentParams{TI: other, SavePath: src, Flags: FlagPaused}); err != nil {
		t.Fatal(err)
	}
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Status(ctx); st.NumTorrents != 2 || st.NumPausedTorrents != 1 {
		t.Fatalf("two torrents, one paused: %d, %d", st.NumTorrents, st.NumPausedTorrents)
	}
	if err := h.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	got := waitFor(ctx, t, h, "download", func(st TorrentStatus) bool { return st.IsSeeding })
	if got.TimeSinceDownload < 0 || got.TimeSinceDownload > 10*time.Second {
		t.Fatalf("time since download %v after pieces passed", got.TimeSinceDownload)
	}
	size := ti.TotalSize()
	down := waitSessionStatus(ctx, t, s, "the download's counters", func(st SessionStatus) bool {
		return st.TotalPayloadDownload >= size && st.TotalIPOverheadDownload > 0
	})
	// a 40-byte header per 1460 bytes at the least
	if min := down.TotalDownload / 1460 * 40; down.TotalIPOverheadDownload < min {
		t.Fatalf("ip overhead %d for %d bytes, want >= %d", down.TotalIPOverheadDownload, down.TotalDownload, min)
	}
	up := waitSessionStatus(ctx, t, seeder, "the upload's counters", func(st SessionStatus) bool {
		return st.TotalPayloadUpload >= size && st.TotalIPOverheadUpload > 0
	})
	if !up.HasIncomingConnections {
		t.Fatal("the seeder had an incoming connection, its status says not")
	}
	seed, err := sh.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !seed.HasIncoming || seed.TimeSinceUpload < 0 || seed.TimeSinceDownload != -1 || seed.LastSeenComplete.IsZero() {
		t.Fatalf("seeder's torrent: incoming %v, since upload %v, since download %v, seen complete %v",
			seed.HasIncoming, seed.TimeSinceUpload, seed.TimeSinceDownload, seed.LastSeenComplete)
	}
}
