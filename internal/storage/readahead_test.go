package storage

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// ReadAtAhead reads exactly what ReadAt reads, for every range, with and
// without read-ahead asked for; pad files read as zeros.
func TestReadAtAheadMatchesReadAt(t *testing.T) {
	dir := t.TempDir()
	files := testFiles()
	s := New(dir, files, Options{})
	defer s.Close()
	data := randBytes(rand.New(rand.NewPCG(3, 3)), 42)
	if _, err := s.WriteAt(data, 0); err != nil {
		t.Fatal(err)
	}
	want := model(files, data)
	for off := 0; off <= 42; off++ {
		for l := 0; off+l <= 42; l++ {
			for _, ahead := range []int64{0, 1, 100} {
				buf := make([]byte, l)
				n, _, err := s.ReadAtAhead(buf, int64(off), ahead)
				if n != l || err != nil || !bytes.Equal(buf, want[off:off+l]) {
					t.Fatalf("ReadAtAhead(%d, %d, %d) = %d, %v", off, l, ahead, n, err)
				}
			}
		}
	}
	if _, _, err := s.ReadAtAhead(make([]byte, 2), 41, 0); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("past the end: %v", err)
	}
}

// Missing and short files fail as with ReadAt: a *FileError naming the
// file, after the bytes that were there; without read-ahead nothing is
// ever hinted.
func TestReadAtAheadMissingAndShort(t *testing.T) {
	dir := t.TempDir()
	files := []FileSpec{{Path: "a", Length: 10}, {Path: "b", Length: 10}, {Path: "c", Length: 10}}
	s := New(dir, files, Options{})
	defer s.Close()
	if err := os.WriteFile(filepath.Join(dir, "a"), bytes.Repeat([]byte{1}, 10), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c"), bytes.Repeat([]byte{3}, 4), 0o644); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 30)
	n, hinted, err := s.ReadAtAhead(buf, 0, 0)
	var fe *FileError
	if n != 10 || hinted || !errors.As(err, &fe) || fe.FileIndex != 1 || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("over a missing file: n=%d hinted=%v err=%v", n, hinted, err)
	}
	n, _, err = s.ReadAtAhead(buf[:10], 20, 1<<20)
	if n != 4 || !errors.As(err, &fe) || fe.FileIndex != 2 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("a short file: n=%d err=%v", n, err)
	}
	if off, l := s.FileExtent(2); off != 20 || l != 10 {
		t.Fatalf("FileExtent(2) = %d, %d", off, l)
	}
	if off, l := s.FileExtent(3); off != 0 || l != 0 {
		t.Fatalf("FileExtent out of range = %d, %d", off, l)
	}
}
