package actorrent

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/interop"
)

// needInterop skips a test that starts real libtorrent processes when it
// cannot (or should not) run here.
func needInterop(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts real libtorrent processes; skipped with -short")
	}
	if err := interop.Available(); err != nil {
		t.Skip(err)
	}
}

// interopLayout is a payload: its files (slash paths below the payload
// root) and the path, relative to that root, that a torrent is made of.
type interopLayout struct {
	name  string
	files map[string]int64
	top   string
}

// interopLayouts have the awkward cases: an empty file, a file smaller than
// a block, files whose sizes are not multiples of 16 KiB, and names whose
// sorted order differs from the order they were written in.
var interopLayouts = []interopLayout{
	{name: "single", top: "single.bin", files: map[string]int64{"single.bin": 3<<20 + 4321}},
	{name: "multi", top: "multi", files: map[string]int64{
		"multi/zz_last.bin":  300_001,
		"multi/empty":        0,
		"multi/tiny.txt":     100,
		"multi/odd.bin":      1<<20 + 7777,
		"multi/sub/big.bin":  2<<20 + 333,
		"multi/sub/A_upper":  16 << 10,
		"multi/sub/deep/one": 1,
	}},
}

// interopPieceSizes are the piece sizes of the matrix.
var interopPieceSizes = []int64{16 << 10, 64 << 10, 1 << 20, 4 << 20}

// interopCreators name who made a .torrent.
var interopCreators = []string{"ours", "libtorrent"}

// interopTorrent is one .torrent of the matrix, written to disk.
type interopTorrent struct {
	layout    interopLayout
	src       string // payload root: CompareTrees(src, a download's save path)
	pieceSize int64
	creator   string
	path      string // the .torrent file
	ti        *TorrentInfo
}

// name is the subtest name of the torrent.
func (it interopTorrent) name() string {
	return fmt.Sprintf("%s/%s/%s", it.layout.name, sizeName(it.pieceSize), it.creator)
}

func sizeName(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

// interopFixtures writes every layout under dir and makes one torrent per
// layout, piece size and creator; libtorrent's are made in parallel since
// each is a process. The result is ordered by layout, piece size, creator.
func interopFixtures(ctx context.Context, t *testing.T, dir string) []interopTorrent {
	t.Helper()
	var out []interopTorrent
	for i, l := range interopLayouts {
		src := filepath.Join(dir, "src-"+l.name)
		if err := interop.MakePayload(src, l.files, int64(100+i)); err != nil {
			t.Fatal(err)
		}
		for _, ps := range interopPieceSizes {
			for _, c := range interopCreators {
				it := interopTorrent{layout: l, src: src, pieceSize: ps, creator: c}
				it.path = filepath.Join(dir, fmt.Sprintf("%s-%d-%s.torrent", l.name, ps, c))
				out = append(out, it)
			}
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(out))
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = out[i].create(ctx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", out[i].name(), err)
		}
	}
	return out
}

// create makes the .torrent with its creator and loads it with our parser.
func (it *interopTorrent) create(ctx context.Context) error {
	payload := filepath.Join(it.src, filepath.FromSlash(it.layout.top))
	switch it.creator {
	case "ours":
		ti, err := CreateTorrent(payload, CreateTorrentOptions{PieceSize: it.pieceSize})
		if err != nil {
			return err
		}
		b, err := ti.Bytes()
		if err != nil {
			return err
		}
		if err := os.WriteFile(it.path, b, 0o644); err != nil {
			return err
		}
	case "libtorrent":
		if err := interop.CreateTorrentWithLibtorrent(ctx, payload, it.path, int(it.pieceSize), nil); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown creator %q", it.creator)
	}
	ti, err := LoadTorrentFile(it.path)
	if err != nil {
		return err
	}
	it.ti = ti
	return nil
}

// stopPeerAtEnd stops a libtorrent process when the test ends and shows its
// log if the test failed.
func stopPeerAtEnd(t *testing.T, name string, p *interop.Libtorrent) {
	t.Helper()
	t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			t.Errorf("libtorrent %s: %v", name, err)
		}
		if t.Failed() {
			t.Logf("libtorrent %s log:\n%s", name, p.Log())
		}
	})
}

// checkSameTree fails the test unless b holds what a holds. Our torrents
// call themselves finished only with every file on disk (the disk creates
// the empty files before the last piece's PieceHashed goes out), and a
// libtorrent downloader has exited, its files closed: no waiting.
func checkSameTree(t *testing.T, a, b string) {
	t.Helper()
	if err := interop.CompareTrees(a, b); err != nil {
		t.Fatal(err)
	}
}

// waitTotals polls the status until cond holds (peers report their byte
// counts once a second) or ctx ends, and returns the last status.
func waitTotals(ctx context.Context, t *testing.T, h TorrentHandle, cond func(TorrentStatus) bool) TorrentStatus {
	t.Helper()
	for {
		st, err := h.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cond(st) {
			return st
		}
		select {
		case <-ctx.Done():
			return st
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// alertCounts pops every queued alert and counts them by What(); it also
// returns the messages of the alerts a healthy transfer never has.
func alertCounts(ctx context.Context, t *testing.T, s *Session) (map[string]int, []Alert) {
	t.Helper()
	alerts, err := s.PopAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	var all []Alert
	for _, a := range alerts {
		seen[a.What()]++
		all = append(all, a)
	}
	return seen, all
}

// checkHealthyAlerts fails the test on alerts a clean transfer must not
// post, and when an expected one is missing.
func checkHealthyAlerts(t *testing.T, seen map[string]int, all []Alert, want ...string) {
	t.Helper()
	for _, w := range want {
		if seen[w] == 0 {
			t.Errorf("no %s alert; got %v", w, seen)
		}
	}
	for _, a := range all {
		switch a.What() {
		case "peer_error", "hash_failed", "torrent_error", "file_error", "alerts_dropped":
			t.Errorf("unexpected alert %s: %s", a.What(), a.Message())
		}
	}
}

// checkLibtorrentEvents fails the test when libtorrent reported a protocol
// or data problem with our engine, or never connected to it. The only
// disconnect reasons of a clean transfer are the downloader's "torrent
// finished" and the end of file it sees when the other side hangs up.
func checkLibtorrentEvents(t *testing.T, p *interop.Libtorrent) {
	t.Helper()
	connected := false
	for _, ev := range p.Events() {
		if ev.Event == "error" {
			t.Errorf("libtorrent error: %s", ev.Message)
		}
		if ev.Event != "alert" {
			continue
		}
		switch ev.Type {
		case "peer_connect":
			connected = true
		case "hash_failed", "peer_error", "torrent_error", "file_error", "seed_incomplete":
			t.Errorf("libtorrent alert %s: %s", ev.Type, ev.Message)
		case "peer_disconnected":
			// Two seeds part: libtorrent says "torrent finished" when
			// it finishes first, "upload to upload connection" when a
			// message of ours reaches it after it finished. Over uTP, a
			// write of its after our FIN is a broken pipe (its uTP
			// stream's end of file).
			utpEOF := strings.Contains(ev.Message, "(uTP)") && strings.Contains(ev.Message, "Broken pipe")
			if !strings.Contains(ev.Message, "torrent finished") && !strings.Contains(ev.Message, "End of file") &&
				!strings.Contains(ev.Message, "upload to upload connection") && !utpEOF {
				t.Errorf("libtorrent disconnected for another reason: %s", ev.Message)
			}
		}
	}
	if !connected {
		t.Error("libtorrent reported no peer_connect")
	}
}

// damagePayload flips a few bytes in the middle of "odd.bin" and truncates
// "big.bin" of the multi layout saved under dir, and returns the pieces
// that must still pass a check, worked out from the file offsets alone.
func damagePayload(t *testing.T, ti *TorrentInfo, dir string) Bitfield {
	t.Helper()
	type span struct{ from, to int64 } // global byte offsets, to exclusive
	var bad []span
	for _, f := range ti.Files() {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		switch filepath.Base(path) {
		case "odd.bin":
			off := f.Size / 2
			fh, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			b := make([]byte, 3)
			if _, err := fh.ReadAt(b, off); err != nil {
				t.Fatal(err)
			}
			for i := range b {
				b[i] ^= 0xA5
			}
			if _, err := fh.WriteAt(b, off); err != nil {
				t.Fatal(err)
			}
			if err := fh.Close(); err != nil {
				t.Fatal(err)
			}
			bad = append(bad, span{f.Offset + off, f.Offset + off + int64(len(b))})
		case "big.bin":
			keep := f.Size/2 + 100
			if err := os.Truncate(path, keep); err != nil {
				t.Fatal(err)
			}
			bad = append(bad, span{f.Offset + keep, f.Offset + f.Size})
		}
	}
	if len(bad) != 2 {
		t.Fatalf("damaged %d files, want 2", len(bad))
	}
	want := bitfield.New(ti.NumPieces())
	for p := range ti.NumPieces() {
		from := int64(p) * ti.PieceLength()
		to := from + ti.PieceSize(p)
		ok := true
		for _, s := range bad {
			if s.from < to && from < s.to {
				ok = false
			}
		}
		if ok {
			want.Set(p)
		}
	}
	if want.Count() == 0 || want.All() {
		t.Fatalf("damage leaves %d of %d pieces: not a useful check", want.Count(), ti.NumPieces())
	}
	return want
}

// torrentPaths lists a torrent's file paths (slash-separated) in order.
func torrentPaths(ti *TorrentInfo) []string {
	var out []string
	for _, f := range ti.Files() {
		out = append(out, filepath.ToSlash(f.Path))
	}
	return out
}

// readdirOrder lists the files under root/top depth-first in the order the
// directory gives them (getdents order, not sorted), as slash paths
// relative to root: the order libtorrent's v1 create_torrent keeps.
func readdirOrder(root, top string) ([]string, error) {
	var out []string
	var walk func(rel string) error
	walk = func(rel string) error {
		p := filepath.Join(root, filepath.FromSlash(rel))
		st, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if !st.IsDir() {
			out = append(out, rel)
			return nil
		}
		d, err := os.Open(p)
		if err != nil {
			return err
		}
		names, err := d.Readdirnames(-1)
		d.Close()
		if err != nil {
			return err
		}
		for _, n := range names {
			if err := walk(rel + "/" + n); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(top)
}

// checkFileOrders checks that our torrent lists its files sorted by path
// and libtorrent's in directory order, and reports whether the two orders
// (and so, for the same bytes, the info dictionaries) agree. libtorrent
// 2.0's v1 create_torrent keeps readdir order unless asked for
// canonical_files, which sorts but also adds pad files; so for a
// multi-file payload the two info-hashes match only when the file system
// happens to list the files sorted.
func checkFileOrders(t *testing.T, ours, lt interopTorrent) bool {
	t.Helper()
	op, lp := torrentPaths(ours.ti), torrentPaths(lt.ti)
	if !slices.IsSorted(op) {
		t.Errorf("%s: our files are not sorted: %v", ours.name(), op)
	}
	if len(op) == 1 && len(lp) == 1 {
		if op[0] != lp[0] {
			t.Errorf("%s: our file %q, libtorrent's %q", ours.name(), op[0], lp[0])
		}
		return true
	}
	rd, err := readdirOrder(ours.src, ours.layout.top)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lp, rd) {
		t.Errorf("%s: libtorrent's file order %v is not directory order %v", lt.name(), lp, rd)
	}
	sorted := slices.Sorted(slices.Values(lp))
	if !slices.Equal(op, sorted) {
		t.Errorf("%s: our files %v, libtorrent's (sorted) %v", ours.name(), op, sorted)
	}
	if !slices.Equal(op, lp) {
		t.Logf("%s: libtorrent kept directory order %v; info-hashes differ by design", lt.name(), lp)
		return false
	}
	return true
}

// sortedDirPayload writes a multi-file payload under root/top whose
// directory happens to list its files in sorted order, so that
// libtorrent's v1 create_torrent (which keeps directory order) must give
// the same info dictionary as ours. The order of a directory depends on
// the file system (hashed names on ext4), so it tries a bounded number of
// name sets; ok is false when none came out sorted.
func sortedDirPayload(t *testing.T, root, top string) (files map[string]int64, ok bool) {
	t.Helper()
	for attempt := range 200 {
		dir := filepath.Join(root, fmt.Sprint(attempt))
		files = map[string]int64{
			fmt.Sprintf("%s/a%d_empty", top, attempt): 0,
			fmt.Sprintf("%s/b%d_tiny", top, attempt):  100,
			fmt.Sprintf("%s/c%d_odd", top, attempt):   4<<20 + 40_000,
		}
		if err := interop.MakePayload(dir, files, int64(attempt)); err != nil {
			t.Fatal(err)
		}
		order, err := readdirOrder(dir, top)
		if err != nil {
			t.Fatal(err)
		}
		if slices.IsSorted(order) {
			if err := os.Rename(dir, filepath.Join(root, "payload")); err != nil {
				t.Fatal(err)
			}
			return files, true
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
	}
	return nil, false
}

// libtorrentSeeding starts a libtorrent seeder with o, stopped at the end
// of the test, and returns once it seeds.
func libtorrentSeeding(ctx context.Context, t *testing.T, o interop.Options) *interop.Libtorrent {
	t.Helper()
	seeder, err := interop.StartSeeder(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "seeder", seeder)
	if err := seeder.WaitSeeding(ctx); err != nil {
		t.Fatal(err)
	}
	return seeder
}

// libtorrentAnnounced starts a libtorrent seeder with o and returns once it
// seeds and a tracker has answered it: a downloader that announces after
// that gets it as a peer. (One that announced first would hear of nobody
// and, its tracker's interval being long, not ask again in a test's time.)
func libtorrentAnnounced(ctx context.Context, t *testing.T, o interop.Options) *interop.Libtorrent {
	t.Helper()
	seeder := libtorrentSeeding(ctx, t, o)
	if _, err := seeder.WaitEvent(ctx, "tracker_reply"); err != nil {
		t.Fatal(err)
	}
	return seeder
}

// libtorrentFetches runs a libtorrent downloader with o (Save set here)
// to the end and checks that dst/sub holds what src/sub holds.
func libtorrentFetches(ctx context.Context, t *testing.T, o interop.Options, src, sub string) {
	t.Helper()
	dst := t.TempDir()
	o.Save = dst
	if o.Timeout == 0 {
		o.Timeout = 40 * time.Second
	}
	dl, err := interop.StartDownloader(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "downloader", dl)
	if _, err := dl.WaitFinished(ctx); err != nil {
		t.Fatal(err)
	}
	// It exits right after finishing, its files closed.
	select {
	case <-dl.Exited():
	case <-ctx.Done():
		t.Fatal("libtorrent downloader did not exit after finishing")
	}
	checkSameTree(t, filepath.Join(src, sub), filepath.Join(dst, sub))
}

// opentrackerURL starts opentracker for ih and returns its announce URL
// for proto ("http" or "udp").
func opentrackerURL(ctx context.Context, t *testing.T, ih InfoHash, proto string) string {
	t.Helper()
	ot := startOpentracker(ctx, t, ih)
	if proto == "udp" {
		return ot.UDPAnnounceURL()
	}
	return ot.HTTPAnnounceURL()
}
