package diskactor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/actorrent/actorrent/messages"
)

// The chunked check reads across file and piece boundaries: pieces that
// span files, pieces cut by 1 MiB reads and 4 MiB chunks, an empty file, a
// missing file, a short file and a short last piece all come out as a
// piece-by-piece comparison of the bytes says. Missing data is no error,
// and the check writes nothing.
func TestCheckAcrossFileBoundaries(t *testing.T) {
	// 16 and 32 KiB pieces go through the two-at-a-time path several
	// pairs a read, 320 and 512 KiB ones a slice of each at a time (320
	// KiB: a short last slice); on a CPU without SHA-NI all take the
	// single-stream path.
	for _, pieceLen := range []int64{32 << 10, 16 << 10, 320 << 10, 512 << 10} {
		t.Run(fmt.Sprintf("piece=%dKiB", pieceLen>>10), func(t *testing.T) { checkAcrossFileBoundaries(t, pieceLen) })
	}
}

func checkAcrossFileBoundaries(t *testing.T, pieceLen int64) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 3)})
	files := []fileSpec{
		{"00-a", 1_500_000},
		{"01-empty", 0},
		{"02-b", 3<<20 + 5},
		{"03-missing", 700_001},
		{"04-short", 900_000},
		{"05-tiny", 1},
		{"06-d", 2<<20 + 12345},
		{"07-sub/e", 1 << 20},
		{"08-last", 10_007}, // the last piece is short
	}
	mp := makeMultiPayload(t, t.TempDir(), files, pieceLen, 21)
	dst := t.TempDir()
	mp.copyTo(t, dst)
	top := filepath.Join(dst, "top")
	must(t, os.Remove(filepath.Join(top, "03-missing")))
	must(t, os.Remove(filepath.Join(top, "01-empty")))
	must(t, os.Truncate(filepath.Join(top, "04-short"), 400_000))
	corrupt(t, filepath.Join(top, "02-b"), 2<<20-1_500_000) // stream offset 2 MiB: a read boundary
	corrupt(t, filepath.Join(top, "06-d"), 2<<20+12344)     // the piece running into 07-sub/e
	want := mp.expectedHave(t, dst)
	var good, bad int
	for _, ok := range want {
		if ok {
			good++
		} else {
			bad++
		}
	}
	if good < 4 || bad < 4 {
		t.Fatalf("fixture: %d good and %d bad pieces; the test wants both", good, bad)
	}

	owner, rec := r.spawnRecorder()
	r.addInfo(mp.meta, dst, owner)
	rep := r.checkAndWait(&messages.DiskCheck{InfoHash: mp.meta.InfoHash}, rec)
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	sameHave(t, rep.Have, want)
	if errs := rec.all(func(m any) bool { h, ok := m.(*messages.PieceHashed); return ok && h.Err != nil }); len(errs) > 0 {
		t.Fatalf("missing and short files must not be file errors: %+v", errs[0])
	}
	// Progress counts every piece, ends complete, and never goes back.
	last := -1
	for _, m := range rec.all(isProgress) {
		p := m.(*messages.DiskCheckProgress)
		if p.Total != len(want) || p.Checked < last || p.Queued {
			t.Fatalf("progress %+v after %d checked (of %d)", p, last, len(want))
		}
		last = p.Checked
	}
	// Nothing was written: the missing file is still missing, the short
	// one still short.
	if _, err := os.Stat(filepath.Join(top, "03-missing")); !os.IsNotExist(err) {
		t.Fatalf("the check created a missing file: %v", err)
	}
	if st, err := os.Stat(filepath.Join(top, "04-short")); err != nil || st.Size() != 400_000 {
		t.Fatalf("the short file changed: %v %v", st.Size(), err)
	}
}

// A torrent whose files are all missing checks to nothing, without error.
func TestCheckAllFilesMissing(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	mp := makeMultiPayload(t, t.TempDir(), []fileSpec{{"a", 5 << 20}, {"b", 3<<20 + 1}}, 1<<20, 22)
	owner, rec := r.spawnRecorder()
	dst := t.TempDir()
	r.addInfo(mp.meta, dst, owner)
	rep := r.checkAndWait(&messages.DiskCheck{InfoHash: mp.meta.InfoHash}, rec)
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	sameHave(t, rep.Have, make([]bool, mp.meta.Info.NumPieces()))
	if ents, _ := os.ReadDir(dst); len(ents) != 0 {
		t.Fatalf("the check wrote into the save path: %v", ents)
	}
}

// With Have and Verify, pieces in Have are had unread (even corrupt ones:
// resume data is trusted for them), pieces in Verify are hashed, and all
// others are missing and never read. Progress counts the verified only.
func TestCheckHaveAndVerify(t *testing.T) {
	var mu sync.Mutex
	var read []int // pieces covered by check jobs
	before := func(j any) {
		if c, ok := j.(*checkJob); ok {
			mu.Lock()
			for i := range c.ok {
				read = append(read, c.first+i)
			}
			mu.Unlock()
		}
	}
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2), BeforeJob: before})
	src := t.TempDir()
	const pieceLen = 32 << 10
	pl := makePayload(t, src, "f.bin", 12*pieceLen+99, pieceLen, 23) // 13 pieces
	dst := t.TempDir()
	data := append([]byte(nil), pl.data...)
	for _, p := range []int{3, 5, 7} {
		data[pl.meta.Info.PieceOffset(p)+11] ^= 1
	}
	must(t, os.WriteFile(filepath.Join(dst, "f.bin"), data, 0o644))
	n := pl.meta.Info.NumPieces()
	have, verify := make([]bool, n), make([]bool, n)
	for _, p := range []int{0, 1, 3, 7} {
		have[p] = true
	}
	for _, p := range []int{5, 6, 7, 12} {
		verify[p] = true
	}
	owner, rec := r.spawnRecorder()
	r.addInfo(pl.meta, dst, owner)
	rep := r.checkAndWait(&messages.DiskCheck{InfoHash: pl.meta.InfoHash, Have: have, Verify: verify}, rec)
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	want := make([]bool, n)
	for _, p := range []int{0, 1, 3, 6, 12} { // 5 and 7 fail their hash
		want[p] = true
	}
	sameHave(t, rep.Have, want)
	mu.Lock()
	got := append([]int(nil), read...)
	mu.Unlock()
	if len(got) != 4 {
		t.Fatalf("check jobs read pieces %v, want only 5, 6, 7 and 12", got)
	}
	for _, p := range got {
		if !verify[p] {
			t.Fatalf("check jobs read pieces %v, want only 5, 6, 7 and 12", got)
		}
	}
	for _, m := range rec.all(isProgress) {
		if p := m.(*messages.DiskCheckProgress); p.Total != 4 {
			t.Fatalf("progress %+v: Total must count the 4 pieces to verify", p)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// corrupt flips one byte of a file.
func corrupt(t *testing.T, path string, off int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	b[off] ^= 0x5a
	must(t, os.WriteFile(path, b, 0o644))
}

// A read error other than missing data (here a directory where a file
// should be) is a file error, reported once; the pieces of that file
// fail, and the rest of the check, the same chunk included, goes on.
func TestCheckReadErrorIsFileError(t *testing.T) {
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2)})
	files := []fileSpec{{"a", 3<<20 + 100}, {"b", 2 << 20}, {"c", 5 << 20}}
	mp := makeMultiPayload(t, t.TempDir(), files, 1<<20, 24)
	dst := t.TempDir()
	mp.copyTo(t, dst)
	b := filepath.Join(dst, "top", "b")
	must(t, os.Remove(b))
	must(t, os.Mkdir(b, 0o755))
	owner, rec := r.spawnRecorder()
	r.addInfo(mp.meta, dst, owner)
	rep := r.checkAndWait(&messages.DiskCheck{InfoHash: mp.meta.InfoHash}, rec)
	if rep.Err != nil {
		t.Fatal(rep.Err)
	}
	// Pieces 3-5 hold bytes of b.
	for p, ok := range rep.Have {
		if want := p < 3 || p > 5; ok != want {
			t.Fatalf("piece %d: have %v, want %v (%v)", p, ok, want, rep.Have)
		}
	}
	errs := rec.all(func(m any) bool { h, ok := m.(*messages.PieceHashed); return ok && h.Err != nil })
	if len(errs) != 1 {
		t.Fatalf("%d file errors, want 1", len(errs))
	}
	if h := errs[0].(*messages.PieceHashed); h.Path != b || h.Op != "read" {
		t.Fatalf("file error %+v, want a read of %s", h, b)
	}
}

// A worker that panics on a check job fails that chunk's pieces (a file
// error says why); the check goes on with a replaced worker and answers.
func TestCheckWorkerPanicFailsItsChunk(t *testing.T) {
	var panicked atomic.Bool
	before := func(j any) {
		if c, ok := j.(*checkJob); ok && c.first == 4 && !panicked.Swap(true) {
			panic("injected check fault")
		}
	}
	r := newRig(t, Config{Settings: withSettings("hashing_threads", 2), BeforeJob: before})
	s := seededPayload(t, 10<<20, 1<<20, 25) // chunks 0-3, 4-7, 8-9
	owner, rec := r.spawnRecorder()
	r.add(s.payload, s.dir, owner, nil, 0)
	rep := r.checkAndWait(&messages.DiskCheck{InfoHash: s.meta.InfoHash}, rec)
	for p, ok := range rep.Have {
		if want := p < 4 || p > 7; ok != want {
			t.Fatalf("piece %d: have %v, want %v", p, ok, want)
		}
	}
	errs := rec.all(func(m any) bool { h, ok := m.(*messages.PieceHashed); return ok && h.Err != nil })
	if len(errs) != 1 || !errors.Is(errs[0].(*messages.PieceHashed).Err, ErrJobFailed) {
		t.Fatalf("file errors %v, want one ErrJobFailed", errs)
	}
	// The same torrent checks in full afterwards.
	rep = r.checkAndWait(&messages.DiskCheck{InfoHash: s.meta.InfoHash}, rec)
	sameHave(t, rep.Have, []bool{true, true, true, true, true, true, true, true, true, true})
}
