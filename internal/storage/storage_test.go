package storage

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// layout: a (10) | empty (0) | pad (5) | dir/b (20) | dir/sub/c (7)
func testFiles() []FileSpec {
	return []FileSpec{
		{Path: "a", Length: 10},
		{Path: filepath.Join("dir", "empty"), Length: 0},
		{Path: ".pad/5", Length: 5, Pad: true},
		{Path: filepath.Join("dir", "b"), Length: 20},
		{Path: filepath.Join("dir", "sub", "c"), Length: 7},
	}
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(255) + 1) // never 0, so pad zeros are visible
	}
	return b
}

// model returns what reading data back must give: pad ranges are zero.
func model(files []FileSpec, data []byte) []byte {
	out := bytes.Clone(data)
	var off int64
	for _, f := range files {
		if f.Pad {
			clear(out[off : off+f.Length])
		}
		off += f.Length
	}
	return out
}

func TestSpanningWriteRead(t *testing.T) {
	dir := t.TempDir()
	files := testFiles()
	s := New(dir, files, Options{})
	defer s.Close()
	if s.TotalLength() != 42 {
		t.Fatalf("TotalLength = %d", s.TotalLength())
	}
	r := rand.New(rand.NewPCG(1, 1))
	data := randBytes(r, 42)
	if n, err := s.WriteAt(data, 0); n != 42 || err != nil {
		t.Fatalf("WriteAt = %d, %v", n, err)
	}
	want := model(files, data)
	got := make([]byte, 42)
	if n, err := s.ReadAt(got, 0); n != 42 || err != nil || !bytes.Equal(got, want) {
		t.Fatalf("ReadAt = %d, %v, %x want %x", n, err, got, want)
	}
	// Every sub-range, read through the storage, matches the model.
	for off := 0; off <= 42; off++ {
		for l := 0; off+l <= 42; l++ {
			buf := make([]byte, l)
			if n, err := s.ReadAt(buf, int64(off)); n != l || err != nil || !bytes.Equal(buf, want[off:off+l]) {
				t.Fatalf("ReadAt(%d,%d) = %d, %v", off, l, n, err)
			}
		}
	}
	// On disk: real files hold their bytes, pad and empty files do not exist.
	for _, c := range []struct {
		path string
		want []byte
	}{{"a", data[:10]}, {"dir/b", data[15:35]}, {"dir/sub/c", data[35:]}} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.path)))
		if err != nil || !bytes.Equal(b, c.want) {
			t.Errorf("%s on disk = %x, %v", c.path, b, err)
		}
	}
	for _, p := range []string{".pad", "dir/empty"} {
		if _, err := os.Stat(filepath.Join(dir, p)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s exists: %v", p, err)
		}
	}
	if err := s.CreateEmptyFiles(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dir, "dir", "empty")); err != nil || st.Size() != 0 {
		t.Errorf("empty file: %v", err)
	}
	sizes, times := s.FileSizes()
	wantSizes := []int64{10, 0, 5, 20, 7}
	for i := range sizes {
		if sizes[i] != wantSizes[i] || (!files[i].Pad && times[i].IsZero()) {
			t.Errorf("FileSizes[%d] = %d %v", i, sizes[i], times[i])
		}
	}
}

func TestChunkedWrites(t *testing.T) {
	files := testFiles()
	r := rand.New(rand.NewPCG(2, 2))
	for _, chunk := range []int{1, 3, 7, 16, 41} {
		s := New(t.TempDir(), files, Options{MaxOpenFiles: 1, Sparse: true})
		data := randBytes(r, 42)
		for off := 0; off < 42; off += chunk {
			end := min(off+chunk, 42)
			if n, err := s.WriteAt(data[off:end], int64(off)); n != end-off || err != nil {
				t.Fatalf("chunk %d: WriteAt(%d) = %d, %v", chunk, off, n, err)
			}
		}
		got := make([]byte, 42)
		if _, err := s.ReadAt(got, 0); err != nil || !bytes.Equal(got, model(files, data)) {
			t.Errorf("chunk %d: read back %x, %v", chunk, got, err)
		}
		if s.pool.lru.Len() > 1 {
			t.Errorf("pool holds %d handles", s.pool.lru.Len())
		}
		s.Close()
	}
}

func TestMissingFile(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, testFiles(), Options{})
	buf := make([]byte, 4)
	n, err := s.ReadAt(buf, 20)
	if n != 0 || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadAt = %d, %v", n, err)
	}
	var fe *FileError
	if !errors.As(err, &fe) || fe.FileIndex != 3 || fe.Op != "open" || fe.Path != filepath.Join(dir, "dir", "b") {
		t.Errorf("FileError = %+v", fe)
	}
	// Reading only the pad range needs no file.
	if n, err := s.ReadAt(buf[:5-1], 11); n != 4 || err != nil {
		t.Errorf("pad read = %d, %v", n, err)
	}
	// A read spanning a present and a missing file reports what it got.
	if _, err := s.WriteAt([]byte("0123456789"), 0); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "dir", "b"))
	big := make([]byte, 30)
	n, err = s.ReadAt(big, 0)
	if n != 15 || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("spanning read = %d, %v", n, err)
	}
}

func TestShortFileAndSparse(t *testing.T) {
	files := []FileSpec{{Path: "f", Length: 100}}
	for _, sparse := range []bool{false, true} {
		dir := t.TempDir()
		s := New(dir, files, Options{MaxOpenFiles: 4, Sparse: sparse})
		if _, err := s.WriteAt([]byte("hello"), 10); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(dir, "f"))
		if err != nil {
			t.Fatal(err)
		}
		wantSize := int64(15)
		if sparse {
			wantSize = 100
		}
		if st.Size() != wantSize {
			t.Errorf("sparse=%v: size %d want %d", sparse, st.Size(), wantSize)
		}
		buf := make([]byte, 20)
		n, err := s.ReadAt(buf, 5)
		if sparse {
			if n != 20 || err != nil || !bytes.Equal(buf[5:10], []byte("hello")) {
				t.Errorf("sparse read = %d, %v", n, err)
			}
		} else {
			var fe *FileError
			if n != 10 || !errors.Is(err, io.ErrUnexpectedEOF) || !errors.As(err, &fe) || fe.Op != "read" {
				t.Errorf("short read = %d, %v", n, err)
			}
		}
		s.Close()
	}
}

func TestOutOfRange(t *testing.T) {
	s := New(t.TempDir(), testFiles(), Options{})
	for _, c := range []struct {
		off int64
		n   int
	}{{-1, 1}, {43, 0}, {40, 3}, {0, 43}, {1 << 62, 1}} {
		if _, err := s.ReadAt(make([]byte, c.n), c.off); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("ReadAt(%d,%d): %v", c.off, c.n, err)
		}
		if _, err := s.WriteAt(make([]byte, c.n), c.off); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("WriteAt(%d,%d): %v", c.off, c.n, err)
		}
	}
	if n, err := s.ReadAt(nil, 42); n != 0 || err != nil {
		t.Errorf("empty read at end = %d, %v", n, err)
	}
}

func TestUpgradeReadOnlyHandle(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "f"), []byte("abcdef"), 0o644)
	s := New(dir, []FileSpec{{Path: "f", Length: 6}}, Options{})
	buf := make([]byte, 6)
	if _, err := s.ReadAt(buf, 0); err != nil || string(buf) != "abcdef" {
		t.Fatal(err)
	}
	if s.pool.slots[0].writable {
		t.Error("read opened the file writable")
	}
	if _, err := s.WriteAt([]byte("XY"), 2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReadAt(buf, 0); err != nil || string(buf) != "abXYef" {
		t.Errorf("after upgrade read %q, %v", buf, err)
	}
	if !s.pool.slots[0].writable || s.pool.lru.Len() != 1 {
		t.Error("upgrade left two handles or a read-only one")
	}
	if err := s.Flush(); err != nil {
		t.Error(err)
	}
}

func TestErrClosed(t *testing.T) {
	s := New(t.TempDir(), testFiles(), Options{})
	if _, err := s.WriteAt([]byte("x"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	calls := map[string]error{
		"Close":            s.Close(),
		"Flush":            s.Flush(),
		"ReleaseFiles":     s.ReleaseFiles(),
		"CreateEmptyFiles": s.CreateEmptyFiles(),
	}
	_, calls["ReadAt"] = s.ReadAt(make([]byte, 1), 0)
	_, calls["WriteAt"] = s.WriteAt(make([]byte, 1), 0)
	_, calls["ReadAt pad"] = s.ReadAt(make([]byte, 1), 11)
	for name, err := range calls {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: %v", name, err)
		}
	}
}

func TestDeleteFiles(t *testing.T) {
	dir := t.TempDir()
	files := []FileSpec{
		{Path: filepath.Join("t", "a"), Length: 3},
		{Path: filepath.Join("t", "x", "y", "b"), Length: 3},
		{Path: filepath.Join("t", "keep", "c"), Length: 3},
		{Path: filepath.Join("t", "pad"), Length: 2, Pad: true},
		{Path: filepath.Join("t", "e", "empty"), Length: 0},
		{Path: "top", Length: 3},
	}
	s := New(dir, files, Options{})
	if _, err := s.WriteAt(bytes.Repeat([]byte{1}, 14), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateEmptyFiles(); err != nil {
		t.Fatal(err)
	}
	// Not ours: a file next to c, an unrelated empty directory, a file
	// with the pad file's name.
	os.WriteFile(filepath.Join(dir, "t", "keep", "mine"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "other"), 0o755)
	os.WriteFile(filepath.Join(dir, "t", "pad"), []byte("x"), 0o644)
	if err := s.DeleteFiles(); err != nil {
		t.Fatal(err)
	}
	gone := []string{"t/a", "t/x", "t/keep/c", "t/e", "top"}
	kept := []string{".", "t", "t/keep/mine", "other", "t/pad"}
	for _, p := range gone {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s still exists (%v)", p, err)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
	// Deleting again (nothing left) and after Close is fine.
	s.Close()
	if err := s.DeleteFiles(); err != nil {
		t.Errorf("second DeleteFiles: %v", err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Error("save path removed")
	}
}

func TestFilePathAndOptions(t *testing.T) {
	s := New("rel", []FileSpec{{Path: "a", Length: -5}}, Options{MaxOpenFiles: -1})
	if !filepath.IsAbs(s.FilePath(0)) || s.FilePath(1) != "" || s.FilePath(-1) != "" {
		t.Errorf("FilePath: %q", s.FilePath(0))
	}
	if s.TotalLength() != 0 || s.opts.MaxOpenFiles != DefaultMaxOpenFiles || s.NumFiles() != 1 {
		t.Errorf("opts %+v total %d", s.opts, s.TotalLength())
	}
	if d := New("x", nil, Options{}); !reflect.DeepEqual(d.opts, DefaultOptions()) {
		t.Errorf("zero options = %+v", d.opts)
	}
	fe := &FileError{FileIndex: 2, Path: "/p", Op: "read", Err: io.EOF}
	if fe.Error() == "" || !errors.Is(fe, io.EOF) {
		t.Error("FileError")
	}
}
