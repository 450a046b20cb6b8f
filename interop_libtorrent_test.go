package actorrent

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// TestInteropLibtorrent proves byte-identical transfers with libtorrent
// 2.0.8 both ways, over the matrix of layouts (single and multi-file with
// an empty file, a tiny file and unaligned sizes), piece sizes (16 KiB to
// 4 MiB) and torrent creators (us and libtorrent), and that both creators
// agree on the info-hash.
//
// Each transfer has a deadline of its own: the 32 of them take turns, as
// many at a time as -parallel allows, so one budget for the whole matrix
// would be a guess at the machine's speed that a busy CI machine loses.
func TestInteropLibtorrent(t *testing.T) {
	needInterop(t)
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	torrents := interopFixtures(ctx, t, t.TempDir())
	transfer := func(t *testing.T, run func(context.Context, *testing.T, interopTorrent), it interopTorrent) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
		defer cancel()
		run(ctx, t, it)
	}

	t.Run("infohash", func(t *testing.T) {
		for i := 0; i < len(torrents); i += len(interopCreators) {
			ours, lt := torrents[i], torrents[i+1]
			if ours.ti.Name() != lt.ti.Name() || ours.ti.PieceLength() != lt.ti.PieceLength() ||
				ours.ti.NumPieces() != lt.ti.NumPieces() || ours.ti.TotalSize() != lt.ti.TotalSize() {
				t.Errorf("%s: ours %q %d×%d (%d bytes), libtorrent's %q %d×%d (%d bytes)", ours.name(),
					ours.ti.Name(), ours.ti.NumPieces(), ours.ti.PieceLength(), ours.ti.TotalSize(),
					lt.ti.Name(), lt.ti.NumPieces(), lt.ti.PieceLength(), lt.ti.TotalSize())
			}
			sameOrder := checkFileOrders(t, ours, lt)
			if sameOrder && ours.ti.InfoHash() != lt.ti.InfoHash() {
				t.Errorf("%s: our info-hash %s, libtorrent's %s", ours.name(), ours.ti.InfoHash(), lt.ti.InfoHash())
			}
		}
		sameInfoHashSortedDir(ctx, t)
		// libtorrent reads our .torrent files to the same info-hash.
		for _, it := range torrents {
			if it.creator != "ours" || it.pieceSize != interopPieceSizes[0] {
				continue
			}
			ih, err := interop.LibtorrentInfoHash(ctx, it.path)
			if err != nil {
				t.Fatal(err)
			}
			if InfoHash(ih) != it.ti.InfoHash() {
				t.Errorf("%s: libtorrent reads info-hash %x, we made %s", it.name(), ih, it.ti.InfoHash())
			}
		}
	})

	t.Run("libtorrent_seeds", func(t *testing.T) {
		for _, it := range torrents {
			t.Run(it.name(), func(t *testing.T) { transfer(t, downloadFromLibtorrent, it) })
		}
	})
	t.Run("libtorrent_downloads", func(t *testing.T) {
		for _, it := range torrents {
			t.Run(it.name(), func(t *testing.T) { transfer(t, seedToLibtorrent, it) })
		}
	})
}

// sameInfoHashSortedDir checks that we and libtorrent make the same
// info-hash for a multi-file payload at every piece size, when the
// directory lists its files sorted (see checkFileOrders).
func sameInfoHashSortedDir(ctx context.Context, t *testing.T) {
	root := t.TempDir()
	if _, ok := sortedDirPayload(t, root, "sorted"); !ok {
		t.Log("no sorted directory after 200 tries: multi-file info-hash equality not checked")
		return
	}
	payload := filepath.Join(root, "payload", "sorted")
	for _, ps := range interopPieceSizes {
		ours, err := CreateTorrent(payload, CreateTorrentOptions{PieceSize: ps})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(root, fmt.Sprintf("lt-%d.torrent", ps))
		ih, err := interop.CreateTorrentWithLibtorrentInfoHash(ctx, payload, out, int(ps), nil)
		if err != nil {
			t.Fatal(err)
		}
		if InfoHash(ih) != ours.InfoHash() {
			t.Errorf("sorted multi-file payload, %s pieces: our info-hash %s, libtorrent's %x", sizeName(ps), ours.InfoHash(), ih)
		}
	}
}

// downloadFromLibtorrent: a libtorrent seeder of it, our session downloads
// it into an empty directory.
func downloadFromLibtorrent(ctx context.Context, t *testing.T, it interopTorrent) {
	seeder := libtorrentSeeding(ctx, t, interop.Options{Torrent: it.path, Save: it.src})

	s := newTestSession(t)
	dst := t.TempDir()
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: it.ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, seeder.Addr()); err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if st.TotalDone != it.ti.TotalSize() || st.NumPieces != it.ti.NumPieces() || !st.Pieces.All() {
		t.Errorf("done %d/%d bytes, %d/%d pieces", st.TotalDone, it.ti.TotalSize(), st.NumPieces, it.ti.NumPieces())
	}
	checkSameTree(t, it.src, dst)
	// Every byte received was counted, also after we hung up on the seed.
	st = waitTotals(ctx, t, h, func(s TorrentStatus) bool { return s.TotalPayloadDownload >= it.ti.TotalSize() })
	if st.TotalPayloadDownload < it.ti.TotalSize() || st.TotalDownload < st.TotalPayloadDownload {
		t.Errorf("downloaded %d payload bytes (%d in all) of %d", st.TotalPayloadDownload, st.TotalDownload, it.ti.TotalSize())
	}

	seen, all := alertCounts(ctx, t, s)
	checkHealthyAlerts(t, seen, all, "peer_connect", "torrent_finished", "torrent_checked")
	if seen["piece_finished"] != it.ti.NumPieces() {
		t.Errorf("%d piece_finished alerts for %d pieces", seen["piece_finished"], it.ti.NumPieces())
	}
	checkLibtorrentEvents(t, seeder)
}

// seedToLibtorrent: our session seeds it from the payload, a libtorrent
// downloader fetches it into an empty directory.
func seedToLibtorrent(ctx context.Context, t *testing.T, it interopTorrent) {
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: it.ti, SavePath: it.src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}

	dst := t.TempDir()
	dl, err := interop.StartDownloader(ctx, interop.Options{
		Torrent: it.path, Save: dst, Peers: addrs[:1], Timeout: 40 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "downloader", dl)
	fin, err := dl.WaitFinished(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The downloader exits right after finishing, its files closed.
	select {
	case <-dl.Exited():
	case <-ctx.Done():
		t.Fatal("libtorrent downloader did not exit after finishing")
	}
	if err := interop.CompareTrees(it.src, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := fin.Raw["total_payload_download"].(float64); int64(got) < it.ti.TotalSize() {
		t.Errorf("libtorrent downloaded %v payload bytes, want >= %d", got, it.ti.TotalSize())
	}
	checkLibtorrentEvents(t, dl)

	seen, all := alertCounts(ctx, t, s)
	checkHealthyAlerts(t, seen, all, "peer_connect")
	// Every byte libtorrent got was counted, also after it hung up.
	st := waitTotals(ctx, t, h, func(s TorrentStatus) bool { return s.TotalPayloadUpload >= it.ti.TotalSize() })
	if !st.IsSeeding || st.TotalPayloadUpload < it.ti.TotalSize() {
		t.Errorf("seeder: seeding %v, uploaded %d payload bytes of %d", st.IsSeeding, st.TotalPayloadUpload, it.ti.TotalSize())
	}
}

// TestInteropCheckExistingFiles: adding a torrent whose files already
// exist (not in seed mode) checks them and starts from the pieces that
// pass; the rest comes from a libtorrent seeder.
func TestInteropCheckExistingFiles(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
	defer cancel()
	dir := t.TempDir()
	l := interopLayouts[1]
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	if err := interop.MakePayload(src, l.files, 7); err != nil {
		t.Fatal(err)
	}
	if err := interop.MakePayload(dst, l.files, 7); err != nil {
		t.Fatal(err)
	}
	tpath := filepath.Join(dir, "t.torrent")
	if err := interop.CreateTorrentWithLibtorrent(ctx, filepath.Join(src, l.top), tpath, 64<<10, nil); err != nil {
		t.Fatal(err)
	}
	ti, err := LoadTorrentFile(tpath)
	if err != nil {
		t.Fatal(err)
	}
	want := damagePayload(t, ti, dst)

	seeder, err := interop.StartSeeder(ctx, interop.Options{Torrent: tpath, Save: src})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "seeder", seeder)

	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, h, "the check", func(s TorrentStatus) bool { return s.State != CheckingFiles })
	if st.State != Downloading {
		t.Fatalf("state after the check is %s, want downloading", StateName(st.State))
	}
	if got := st.Pieces.Indices(); !slices.Equal(got, want.Indices()) {
		t.Fatalf("pieces after the check:\n got %v\nwant %v", got, want.Indices())
	}
	if st.NumPieces != want.Count() {
		t.Errorf("NumPieces %d, want %d", st.NumPieces, want.Count())
	}

	if err := seeder.WaitSeeding(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, seeder.Addr()); err != nil {
		t.Fatal(err)
	}
	st = waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if !st.Pieces.All() {
		t.Errorf("finished with %d/%d pieces", st.NumPieces, ti.NumPieces())
	}
	checkSameTree(t, src, dst)

	seen, all := alertCounts(ctx, t, s)
	checkHealthyAlerts(t, seen, all, "torrent_checked", "peer_connect", "torrent_finished")
	if missing := ti.NumPieces() - want.Count(); seen["piece_finished"] != missing {
		t.Errorf("%d piece_finished alerts, want %d (the pieces that failed the check)", seen["piece_finished"], missing)
	}
	var states []string
	for _, a := range all {
		if sc, ok := a.(StateChangedAlert); ok {
			states = append(states, StateName(sc.PrevState)+">"+StateName(sc.State))
		}
	}
	wantStates := []string{"checking_files>downloading", "downloading>seeding"}
	if !slices.Equal(states, wantStates) {
		t.Errorf("state changes %v, want %v", states, wantStates)
	}
	checkLibtorrentEvents(t, seeder)
}
