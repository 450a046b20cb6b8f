package storage

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// Three files over 10-byte pieces: a [0,15) b [15,27) c [27,40).
func prioFiles() []FileSpec {
	return []FileSpec{{Path: "a", Length: 15}, {Path: "b", Length: 12}, {Path: "c", Length: 13}}
}

func prioOpts(prios []int) Options {
	return Options{Sparse: true, PartFile: ".test.parts", PieceLength: 10, FilePriorities: prios}
}

// TestPriorityZeroFileIsNotCreated: the bytes of a priority-0 file go to
// the part file, read back through it, and come out into the file when
// its priority is raised.
func TestPriorityZeroFileIsNotCreated(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, prioFiles(), prioOpts([]int{1, 0, 1}))
	defer s.Close()
	data := randBytes(rand.New(rand.NewPCG(7, 7)), 40)
	// Pieces 1 and 2 overlap b (a wanted piece shares bytes with it).
	if _, err := s.WriteAt(data[10:30], 10); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the priority-0 file was created: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".test.parts")); err != nil {
		t.Fatalf("no part file: %v", err)
	}
	got := make([]byte, 20)
	if _, err := s.ReadAt(got, 10); err != nil || !bytes.Equal(got, data[10:30]) {
		t.Fatalf("read back %x, %v", got, err)
	}
	// The part file survives a restart.
	s.Close()
	s = New(dir, prioFiles(), prioOpts([]int{1, 0, 1}))
	if _, err := s.ReadAt(got, 10); err != nil || !bytes.Equal(got, data[10:30]) {
		t.Fatalf("after a restart: read back %x, %v", got, err)
	}
	// Raise b: its bytes come out, the part file goes away.
	if err := s.SetFilePriorities([]int{1, 4, 1}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "b"))
	if err != nil || !bytes.Equal(b[:12], data[15:27]) {
		t.Fatalf("b after export: %x, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".test.parts")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the part file outlived its last piece: %v", err)
	}
	if _, err := s.ReadAt(got, 10); err != nil || !bytes.Equal(got, data[10:30]) {
		t.Fatalf("after export: read back %x, %v", got, err)
	}
}

// TestPartFileMovesAndDeletes: Move takes the part file along, DeleteFiles
// removes it, CreateEmptyFiles skips parked files.
func TestPartFileMovesAndDeletes(t *testing.T) {
	dir := t.TempDir()
	files := append(prioFiles(), FileSpec{Path: "empty", Length: 0})
	s := New(dir, files, prioOpts([]int{1, 0, 1, 0}))
	defer s.Close()
	data := randBytes(rand.New(rand.NewPCG(8, 8)), 40)
	if _, err := s.WriteAt(data, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateEmptyFiles(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "empty")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a priority-0 empty file was created")
	}
	dst := t.TempDir()
	if err := s.Move(dst, AlwaysReplaceFiles); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dst, ".test.parts")); err != nil {
		t.Fatalf("the part file did not move: %v", err)
	}
	got := make([]byte, 40)
	if _, err := s.ReadAt(got, 0); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("after the move: %x, %v", got, err)
	}
	if err := s.DeleteFiles(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dst); len(entries) != 0 {
		t.Errorf("left after DeleteFiles: %v", entries)
	}
}

func TestPartFileCorruptHeader(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".test.parts"), []byte("garbage garbage garbage garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := New(dir, prioFiles(), prioOpts([]int{1, 0, 1}))
	defer s.Close()
	if _, err := s.ReadAt(make([]byte, 10), 15); !errors.Is(err, errPartFileCorrupt) {
		t.Errorf("read through a corrupt part file: %v", err)
	}
}
