package actorrent

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/resume"
)

// seedModeFixture is a 2 MiB torrent of 32 pieces made by libtorrent, its
// payload under src.
func seedModeFixture(ctx context.Context, t *testing.T) (ti *TorrentInfo, tpath, src string) {
	t.Helper()
	dir := t.TempDir()
	src = filepath.Join(dir, "src")
	if err := interop.MakePayload(src, map[string]int64{"data.bin": 2 << 20}, 17); err != nil {
		t.Fatal(err)
	}
	tpath = filepath.Join(dir, "t.torrent")
	if err := interop.CreateTorrentWithLibtorrent(ctx, filepath.Join(src, "data.bin"), tpath, 64<<10, nil); err != nil {
		t.Fatal(err)
	}
	ti, err := LoadTorrentFile(tpath)
	if err != nil {
		t.Fatal(err)
	}
	return ti, tpath, src
}

// addSeedMode adds ti from src in seed mode to a new session and returns
// it once seeding, with its first listen address.
func addSeedMode(ctx context.Context, t *testing.T, ti *TorrentInfo, src string) (*Session, TorrentHandle, string) {
	t.Helper()
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Flags: FlagSeedMode})
	if err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	if !st.SeedMode {
		t.Fatal("added with FlagSeedMode, status says not in seed mode")
	}
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s, h, addrs[0]
}

// A clean torrent in seed mode seeds libtorrent whole, each piece hashed
// on its first request; once every piece was asked for, it has left seed
// mode, still a seed, without a hash failure.
func TestInteropSeedModeVerifiesAsLibtorrentAsks(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	ti, tpath, src := seedModeFixture(ctx, t)
	s, h, addr := addSeedMode(ctx, t, ti, src)
	libtorrentFetches(ctx, t, interop.Options{Torrent: tpath, Peers: []string{addr}}, src, "")
	st := waitFor(ctx, t, h, "seed mode left", func(s TorrentStatus) bool { return !s.SeedMode })
	if !st.IsSeeding {
		t.Fatalf("state %s after seed mode, want seeding", StateName(st.State))
	}
	seen, _ := alertCounts(ctx, t, s)
	if seen["hash_failed"] != 0 {
		t.Fatalf("%d hash_failed alerts for a clean torrent", seen["hash_failed"])
	}
}

// A torrent in seed mode with a corrupted piece on disk: a libtorrent
// downloader's request for it makes us hash it, post hash_failed, leave
// seed mode and check the files; libtorrent still gets every good piece
// (and never the bad one: no hash failure on its side).
func TestInteropSeedModeCorruptPiece(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Second)
	defer cancel()
	ti, tpath, src := seedModeFixture(ctx, t)
	const bad = 11
	corruptPiece(t, ti, src, bad)
	s, h, addr := addSeedMode(ctx, t, ti, src)
	dl, err := interop.StartDownloader(ctx, interop.Options{Torrent: tpath, Save: t.TempDir(), Peers: []string{addr}, Timeout: 100 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "downloader", dl)
	n := ti.NumPieces()
	waitFor(ctx, t, h, "checked after the hash failure", func(s TorrentStatus) bool {
		return !s.SeedMode && s.State == Downloading && s.NumPieces == n-1
	})
	if had, err := h.HavePiece(ctx, bad); err != nil || had {
		t.Fatalf("piece %d had after the check (%v)", bad, err)
	}
	seen, all := alertCounts(ctx, t, s)
	var failed []int
	for _, a := range all {
		if hf, ok := a.(HashFailedAlert); ok {
			failed = append(failed, hf.PieceIndex)
		}
	}
	if len(failed) != 1 || failed[0] != bad {
		t.Fatalf("hash_failed for pieces %v, want [%d] (alerts %v)", failed, bad, seen)
	}
	// We closed every connection for the check; libtorrent retries us
	// only after its min_reconnect_time (60 s), and we do not keep an
	// incoming peer's listen port: connect to it, and it gets the rest of
	// the good pieces.
	if err := h.ConnectPeer(ctx, dl.Addr()); err != nil {
		t.Fatal(err)
	}
	want := float64(n-1) / float64(n)
	for {
		ev, err := dl.WaitEvent(ctx, "progress")
		if err != nil {
			t.Fatal(err)
		}
		if ev.Progress >= want-1e-9 {
			break
		}
	}
	for _, ev := range dl.Events() {
		if ev.Event == "alert" && ev.Type == "hash_failed" {
			t.Fatalf("libtorrent saw a piece fail: %s", ev.Message)
		}
	}
}

// corruptPiece flips a byte in the middle of piece p of the single-file
// torrent ti saved under dir.
func corruptPiece(t *testing.T, ti *TorrentInfo, dir string, p int) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(ti.Files()[0].Path))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[int64(p)*ti.PieceLength()+ti.PieceLength()/2] ^= 0xA5
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Resume data of a torrent in seed mode says so and marks the pieces
// verified (bit 0x2); added again with it, without the flag, the torrent
// is in seed mode with those pieces verified.
func TestSeedModeResumeRoundTrip(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"a.bin": 300 << 10}, 5)
	ti := mustCreate(t, filepath.Join(src, "a.bin"))
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Flags: FlagSeedMode})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding && s.SeedMode })
	for _, p := range []int{1, 3} {
		if err := h.ReadPiece(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for got := 0; got < 2; {
		if err := s.WaitForAlert(ctx); err != nil {
			t.Fatal(err)
		}
		alerts, err := s.PopAlerts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range alerts {
			if rp, ok := a.(ReadPieceAlert); ok {
				if rp.Error != nil {
					t.Fatalf("read_piece %d: %v", rp.Piece, rp.Error)
				}
				got++
			}
		}
	}
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := resume.Decode(rd)
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte{1, 3, 1, 3, 1}; !d.SeedMode || !bytes.Equal(d.Pieces, want) {
		t.Fatalf("resume data: seed_mode %v pieces %v, want seed mode and %v", d.SeedMode, d.Pieces, want)
	}
	if err := s.RemoveTorrent(ctx, h, 0); err != nil {
		t.Fatal(err)
	}
	st, _, s2, h2 := addWithResume(ctx, t, ti, src, rd)
	if !st.SeedMode || !st.IsSeeding {
		t.Fatalf("added with seed-mode resume data: seed_mode %v state %s", st.SeedMode, StateName(st.State))
	}
	rd2, _, err := saveResume(ctx, t, s2, h2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d2, err := resume.Decode(rd2); err != nil || !bytes.Equal(d2.Pieces, d.Pieces) || !d2.SeedMode {
		t.Fatalf("saved again: %v %+v, want the same verified pieces", err, d2)
	}
}
