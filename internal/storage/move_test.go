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

// written returns a storage over testFiles() under a new dir, with data
// written through it.
func written(t *testing.T) (*Storage, string, []byte) {
	t.Helper()
	dir := t.TempDir()
	s := New(dir, testFiles(), Options{})
	t.Cleanup(func() { s.Close() })
	data := randBytes(rand.New(rand.NewPCG(5, 5)), 42)
	if _, err := s.WriteAt(data, 0); err != nil {
		t.Fatal(err)
	}
	return s, dir, data
}

func readAll(t *testing.T, s *Storage) []byte {
	t.Helper()
	b := make([]byte, s.TotalLength())
	if _, err := s.ReadAt(b, 0); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMove(t *testing.T) {
	s, old, data := written(t)
	dst := filepath.Join(t.TempDir(), "new", "place")
	if err := s.Move(dst, AlwaysReplaceFiles); err != nil {
		t.Fatal(err)
	}
	if s.SavePath() != dst {
		t.Errorf("save path %s, want %s", s.SavePath(), dst)
	}
	if got := readAll(t, s); !bytes.Equal(got, model(testFiles(), data)) {
		t.Error("data changed by the move")
	}
	for _, p := range []string{"a", "dir/b", "dir/sub/c"} {
		if _, err := os.Stat(filepath.Join(dst, p)); err != nil {
			t.Errorf("%s not at the destination: %v", p, err)
		}
	}
	// The old place keeps nothing of ours, not even the directories.
	entries, err := os.ReadDir(old)
	if err != nil || len(entries) != 0 {
		t.Errorf("old save path still has %v (%v)", entries, err)
	}
	// Writes go to the new place.
	if _, err := s.WriteAt([]byte{1}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(old, "a")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a write after the move recreated the old file")
	}
}

func TestMoveFlags(t *testing.T) {
	s, _, data := written(t)
	dst := t.TempDir()
	if err := os.WriteFile(filepath.Join(dst, "a"), []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Move(dst, FailIfExist); !errors.Is(err, ErrFileExists) {
		t.Fatalf("FailIfExist over an existing file: %v", err)
	}
	if got := readAll(t, s); !bytes.Equal(got, model(testFiles(), data)) {
		t.Fatal("a refused move changed the data")
	}
	if err := s.Move(dst, DontReplace); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "a")); string(b) != "theirs" {
		t.Errorf("DontReplace replaced a: %q", b)
	}
	s2, _, data2 := written(t)
	dst2 := t.TempDir()
	if err := os.WriteFile(filepath.Join(dst2, "a"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s2.Move(dst2, AlwaysReplaceFiles); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dst2, "a")); !bytes.Equal(b, data2[:10]) {
		t.Errorf("AlwaysReplaceFiles kept the old a: %q", b)
	}
}

// TestMoveFailsWhole: when one file cannot be moved, the ones already
// moved go back and the save path stays.
func TestMoveFailsWhole(t *testing.T) {
	s, old, data := written(t)
	dst := t.TempDir()
	// A directory where file dir/b must go makes its rename fail.
	if err := os.MkdirAll(filepath.Join(dst, "dir", "b", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := s.Move(dst, AlwaysReplaceFiles); err == nil {
		t.Fatal("move over a directory succeeded")
	}
	if s.SavePath() != old {
		t.Errorf("save path %s after a failed move", s.SavePath())
	}
	if got := readAll(t, s); !bytes.Equal(got, model(testFiles(), data)) {
		t.Error("a failed move lost data")
	}
}

func TestRenameFile(t *testing.T) {
	s, dir, data := written(t)
	if err := s.RenameFile(3, filepath.Join("renamed", "b2")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "renamed", "b2")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "dir", "b")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the old name is still there")
	}
	if got := readAll(t, s); !bytes.Equal(got, model(testFiles(), data)) {
		t.Error("data changed by the rename")
	}
	if s.FilePath(3) != filepath.Join(dir, "renamed", "b2") {
		t.Errorf("FilePath(3) = %s", s.FilePath(3))
	}
	for _, bad := range []struct {
		i    int
		name string
	}{{2, "x"}, {9, "x"}, {0, ""}} {
		if err := s.RenameFile(bad.i, bad.name); err == nil {
			t.Errorf("RenameFile(%d, %q) succeeded", bad.i, bad.name)
		}
	}
}
