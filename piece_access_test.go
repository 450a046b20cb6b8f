package actorrent

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// streamTorrent is a multi-file payload for piece access: a file that
// ends inside a piece, an empty one, and one of 48 pieces; it returns the
// torrent, the source dir and each file's bytes by path.
func streamTorrent(t *testing.T) (*TorrentInfo, string, map[string][]byte) {
	t.Helper()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"s/a": 100_000, "s/empty": 0, "s/b": 48*64*1024 - 5000}, 7)
	ti, err := CreateTorrent(filepath.Join(src, "s"), CreateTorrentOptions{PieceSize: 64 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range ti.Files() {
		b, err := os.ReadFile(filepath.Join(src, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		files[f.Path] = b
	}
	return ti, src, files
}

// payloadOf is the torrent's byte stream.
func payloadOf(ti *TorrentInfo, files map[string][]byte) []byte {
	var all []byte
	for _, f := range ti.Files() {
		all = append(all, files[f.Path]...)
	}
	return all
}

func fileIndex(t *testing.T, ti *TorrentInfo, path string) int {
	t.Helper()
	for i, f := range ti.Files() {
		if f.Path == filepath.FromSlash(path) {
			return i
		}
	}
	t.Fatalf("no file %s", path)
	return -1
}

func readPieceAlert(ctx context.Context, t *testing.T, s *Session, piece int) ReadPieceAlert {
	t.Helper()
	a := waitAlert(ctx, t, s, "read_piece", func(a Alert) bool {
		r, ok := a.(ReadPieceAlert)
		return ok && r.Piece == piece
	})
	return a.(ReadPieceAlert)
}

// On a seed: ReadPiece posts every piece's bytes under the default alert
// mask (libtorrent posts read_piece whatever the mask), a bad index an
// error; HavePiece, FileProgress (both ways) and PieceAvailability say
// what a seed has; a deadline with AlertWhenAvailable on a piece had
// reads it at once.
func TestPieceAccessOnASeed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ti, src, files := streamTorrent(t)
	all := payloadOf(ti, files)
	s, _ := seedingSession(ctx, t, ti, src)
	h, ok, err := s.FindTorrent(ctx, ti.InfoHash())
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	for p := range ti.NumPieces() {
		if err := h.ReadPiece(ctx, p); err != nil {
			t.Fatal(err)
		}
		a := readPieceAlert(ctx, t, s, p)
		off := int64(p) * ti.PieceLength()
		want := all[off : off+ti.PieceSize(p)]
		if a.Error != nil || a.Size != len(want) || !bytes.Equal(a.Buffer, want) || a.Handle.InfoHash() != ti.InfoHash() {
			t.Fatalf("piece %d: error %v, %d bytes, equal %v", p, a.Error, a.Size, bytes.Equal(a.Buffer, want))
		}
	}
	if err := h.ReadPiece(ctx, ti.NumPieces()); err != nil {
		t.Fatal(err)
	}
	if a := readPieceAlert(ctx, t, s, ti.NumPieces()); !errors.Is(a.Error, ErrInvalidPieceIndex) || a.Buffer != nil {
		t.Fatalf("read of piece past the end: %v, %d bytes", a.Error, len(a.Buffer))
	}
	if err := h.SetPieceDeadline(ctx, 3, time.Second, AlertWhenAvailable); err != nil {
		t.Fatal(err)
	}
	if a := readPieceAlert(ctx, t, s, 3); a.Error != nil || a.Size != int(ti.PieceLength()) {
		t.Fatalf("deadline on a had piece: %v, %d bytes", a.Error, a.Size)
	}
	for _, p := range []int{0, ti.NumPieces() - 1} {
		if have, err := h.HavePiece(ctx, p); err != nil || !have {
			t.Fatalf("HavePiece(%d) = %v, %v", p, have, err)
		}
	}
	if have, _ := h.HavePiece(ctx, -1); have {
		t.Fatal("HavePiece(-1) = true")
	}
	for _, flags := range []FileProgressFlags{0, PieceGranularity} {
		fp, err := h.FileProgress(ctx, flags)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range ti.Files() {
			if fp[i] != f.Size {
				t.Fatalf("flags %d: file %s progress %d of %d", flags, f.Path, fp[i], f.Size)
			}
		}
	}
	av, err := h.PieceAvailability(ctx)
	if err != nil || len(av) != ti.NumPieces() {
		t.Fatalf("availability: %d entries, %v", len(av), err)
	}
	// Sequential download shows in the status and is kept in resume data.
	for _, on := range []bool{true, false} {
		if err := h.SetSequentialDownload(ctx, on); err != nil {
			t.Fatal(err)
		}
		if st, err := h.Status(ctx, 0); err != nil || st.SequentialDownload != on {
			t.Fatalf("SetSequentialDownload(%v): status says %v (%v)", on, st.SequentialDownload, err)
		}
		if err := h.SaveResumeData(ctx, 0); err != nil {
			t.Fatal(err)
		}
		a := waitAlert(ctx, t, s, "save_resume_data", func(a Alert) bool { _, ok := a.(SaveResumeDataAlert); return ok })
		want := "19:sequential_downloadi0e"
		if on {
			want = "19:sequential_downloadi1e"
		}
		if !bytes.Contains(a.(SaveResumeDataAlert).ResumeData, []byte(want)) {
			t.Fatalf("resume data lacks %s", want)
		}
	}
}

// streamFrom downloads streamTorrent from the seed at seedAddr, added
// paused with sequential download: nothing is had, a read of a piece not
// had is refused, then a deadline with AlertWhenAvailable (set before the
// check) brings the last piece, and readers read the files (all of b, the end of a, a range
// through http.ServeContent) while the download runs.
func streamFrom(ctx context.Context, t *testing.T, ti *TorrentInfo, files map[string][]byte, seedAddr string) {
	set := testSettings()
	set.SetInt(AlertMask, int(CategoryError|CategoryStorage|CategoryProgress))
	s := newTestSessionWith(t, set)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), Flags: FlagPaused | FlagSequentialDownload})
	if err != nil {
		t.Fatal(err)
	}
	// Added paused without resume data, its check waits for a resume: the
	// deadline below is set before any picker exists and must survive it.
	st, err := h.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.SequentialDownload {
		t.Fatal("SequentialDownload false after FlagSequentialDownload")
	}
	if fp, err := h.FileProgress(ctx, 0); err != nil || fp[0]+fp[1]+fp[2] != 0 {
		t.Fatalf("progress before any download: %v %v", fp, err)
	}
	if err := h.ReadPiece(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if a := readPieceAlert(ctx, t, s, 0); !errors.Is(a.Error, ErrPieceNotAvailable) {
		t.Fatalf("read of a piece not had: %v", a.Error)
	}
	last := ti.NumPieces() - 1
	if err := h.SetPieceDeadline(ctx, last, 0, AlertWhenAvailable); err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, seedAddr); err != nil {
		t.Fatal(err)
	}
	if err := h.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	all := payloadOf(ti, files)
	// The last piece, time-critical, is among the first to pass: the
	// pieces that passed before it are counted by their alerts, in the
	// order they were posted (no timing).
	var a ReadPieceAlert
	before := 0
	waitAlert(ctx, t, s, "read_piece", func(x Alert) bool {
		switch x := x.(type) {
		case PieceFinishedAlert:
			if x.PieceIndex != last {
				before++
			}
		case ReadPieceAlert:
			a = x
			return x.Piece == last
		}
		return false
	})
	if off := int64(last) * ti.PieceLength(); a.Error != nil || !bytes.Equal(a.Buffer, all[off:]) {
		t.Fatalf("the last piece's alert: %v, %d bytes", a.Error, len(a.Buffer))
	}
	if before > ti.NumPieces()/4 {
		t.Fatalf("%d of %d pieces passed before the time-critical last one", before, ti.NumPieces())
	}

	// A range near the end of b, served by http.ServeContent from a reader.
	ib := fileIndex(t, ti, "s/b")
	rb, err := h.NewReader(ctx, ib)
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "b", time.Time{}, rb)
	}))
	defer srv.Close()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	req.Header.Set("Range", "bytes=-70000")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	wantB := files[filepath.FromSlash("s/b")]
	if err != nil || resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, wantB[len(wantB)-70000:]) {
		t.Fatalf("range request: status %d, %d bytes, %v", resp.StatusCode, len(body), err)
	}

	// All of b from the start, in odd-sized reads.
	if _, err := rb.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	buf := make([]byte, 40_000)
	for {
		n, err := rb.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got.Bytes(), wantB) {
		t.Fatalf("reader of b: %d bytes, want %d", got.Len(), len(wantB))
	}
	// ReadAt across a piece boundary in a, and at its end.
	ra, err := h.NewReader(ctx, fileIndex(t, ti, "s/a"))
	if err != nil {
		t.Fatal(err)
	}
	defer ra.Close()
	wantA := files[filepath.FromSlash("s/a")]
	p := make([]byte, 1000)
	if n, err := ra.ReadAt(p, 65000); err != nil || n != 1000 || !bytes.Equal(p, wantA[65000:66000]) {
		t.Fatalf("ReadAt across a piece: %d, %v", n, err)
	}
	if n, err := ra.ReadAt(p, int64(len(wantA))-10); err != io.EOF || n != 10 || !bytes.Equal(p[:10], wantA[len(wantA)-10:]) {
		t.Fatalf("ReadAt at the end: %d, %v", n, err)
	}
	re, err := h.NewReader(ctx, fileIndex(t, ti, "s/empty"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := re.Read(p); n != 0 || err != io.EOF {
		t.Fatalf("empty file: %d, %v", n, err)
	}
	if _, err := h.NewReader(ctx, 3); !errors.Is(err, ErrInvalidParams) {
		t.Fatalf("reader of file 3 of 3: %v", err)
	}
	waitFor(ctx, t, h, "finished", func(st TorrentStatus) bool { return st.IsFinished })
	fp, err := h.FileProgress(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range ti.Files() {
		if fp[i] != f.Size {
			t.Fatalf("file %s progress %d of %d", f.Path, fp[i], f.Size)
		}
	}
	// A closed reader refuses; a reader whose context ended fails with it.
	rb.Close()
	if _, err := rb.Read(buf); !errors.Is(err, ErrReaderClosed) {
		t.Fatalf("read after close: %v", err)
	}
	dead, stop := context.WithCancel(ctx)
	rd, err := h.NewReader(dead, ib)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if _, err := rd.Read(buf); !errors.Is(err, context.Canceled) {
		t.Fatalf("read with an ended context: %v", err)
	}
}

func TestStreamingFromOurSeed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ti, src, files := streamTorrent(t)
	seed, addrs := seedingSession(ctx, t, ti, src)
	sh, _, err := seed.FindTorrent(ctx, ti.InfoHash())
	if err != nil {
		t.Fatal(err)
	}
	// 3 MiB at 1 MiB/s: the download lasts while the readers read.
	if err := sh.SetUploadLimit(ctx, 1<<20); err != nil {
		t.Fatal(err)
	}
	streamFrom(ctx, t, ti, files, addrs[0])
}

func TestInteropStreamingFromLibtorrent(t *testing.T) {
	needInterop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ti, src, files := streamTorrent(t)
	data, err := ti.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	torrent := filepath.Join(t.TempDir(), "stream.torrent")
	if err := os.WriteFile(torrent, data, 0o644); err != nil {
		t.Fatal(err)
	}
	seeder := libtorrentSeeding(ctx, t, interop.Options{Torrent: torrent, Save: src})
	streamFrom(ctx, t, ti, files, seeder.Addr())
	if strings.Contains(seeder.Log(), "error") {
		t.Logf("libtorrent log: %s", seeder.Log())
	}
}
