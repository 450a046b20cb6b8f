package storage

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// BEP 47 attributes on disk, as libtorrent 2.0 does on POSIX.

// attrFiles: t/a (5) | pad (11) | t/d/b (4) | links t/l -> t/a, t/d/l ->
// t/a, t/dl -> t/d | t/x (3, executable) | t/ex (empty, executable).
func attrFiles() []FileSpec {
	return []FileSpec{
		{Path: filepath.Join("t", "a"), Length: 5},
		{Path: filepath.Join(".pad", "11"), Length: 11, Pad: true},
		{Path: filepath.Join("t", "d", "b"), Length: 4},
		{Path: filepath.Join("t", "l"), Symlink: filepath.Join("t", "a")},
		{Path: filepath.Join("t", "d", "l"), Symlink: filepath.Join("t", "a")},
		{Path: filepath.Join("t", "dl"), Symlink: filepath.Join("t", "d")},
		{Path: filepath.Join("t", "x"), Length: 3, Executable: true},
		{Path: filepath.Join("t", "ex"), Executable: true},
	}
}

func TestSymlinksCreatedWithEmptyFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("libtorrent creates no symlinks on Windows")
	}
	dir := t.TempDir()
	s := New(dir, attrFiles(), Options{})
	defer s.Close()
	data := []byte("aaaaaPPPPPPPPPPPbbbbxxx")
	if _, err := s.WriteAt(data, 0); err != nil {
		t.Fatal(err)
	}
	// No write creates a link: they have no bytes.
	if _, err := os.Lstat(filepath.Join(dir, "t", "l")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("link before CreateEmptyFiles: %v", err)
	}
	for range 2 { // a second call finds the links in place
		if err := s.CreateEmptyFiles(); err != nil {
			t.Fatal(err)
		}
	}
	// Targets are relative to the link's directory, so the tree can move.
	for link, want := range map[string]string{"t/l": "a", "t/d/l": filepath.Join("..", "a"), "t/dl": "d"} {
		got, err := os.Readlink(filepath.Join(dir, filepath.FromSlash(link)))
		if err != nil || got != want {
			t.Errorf("%s -> %q, %v; want %q", link, got, err, want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "t", "d", "l")); err != nil || string(b) != "aaaaa" {
		t.Errorf("reading through the link: %q, %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "t", "dl", "b")); err != nil || string(b) != "bbbb" {
		t.Errorf("reading through the directory link: %q, %v", b, err)
	}
	sizes, _ := s.FileSizes()
	if sizes[3] != -1 || sizes[0] != 5 {
		t.Errorf("FileSizes = %v: a link is not a regular file", sizes)
	}
	// Moving keeps the links working; deleting removes them, not their
	// targets' directories of other files.
	dst := t.TempDir()
	if err := s.Move(dst, AlwaysReplaceFiles); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "t", "d", "l")); err != nil || string(b) != "aaaaa" {
		t.Errorf("link after Move: %q, %v", b, err)
	}
	if err := s.DeleteFiles(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dst, "t")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("torrent directory left after DeleteFiles: %v", err)
	}
}

func TestSymlinkConflicts(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("libtorrent creates no symlinks on Windows")
	}
	dir := t.TempDir()
	files := []FileSpec{{Path: "a", Length: 1}, {Path: "l", Symlink: "a"}}
	// A regular file where the link goes is an error, as in libtorrent.
	must(t, os.WriteFile(filepath.Join(dir, "l"), nil, 0o644))
	err := New(dir, files, Options{}).CreateEmptyFiles()
	var fe *FileError
	if !errors.As(err, &fe) || fe.Op != "symlink" || fe.FileIndex != 1 {
		t.Fatalf("file in the way: %v", err)
	}
	// A target outside the save path is refused whatever the caller says.
	for _, bad := range []string{filepath.Join("..", "x"), "/etc/passwd"} {
		files[1].Symlink = bad
		err := New(t.TempDir(), files, Options{}).CreateEmptyFiles()
		if !errors.Is(err, ErrSymlinkTarget) {
			t.Errorf("target %q: %v", bad, err)
		}
	}
}

func TestExecutableFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no executable bit")
	}
	dir := t.TempDir()
	s := New(dir, attrFiles(), Options{})
	defer s.Close()
	if _, err := s.WriteAt(make([]byte, 23), 0); err != nil {
		t.Fatal(err)
	}
	must(t, s.CreateEmptyFiles())
	for path, exec := range map[string]bool{"t/x": true, "t/ex": true, "t/a": false} {
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(path)))
		if err != nil || (st.Mode().Perm()&0o100 != 0) != exec {
			t.Errorf("%s: mode %v, %v; executable %v", path, st.Mode(), err, exec)
		}
	}
}

// TestPadFilesVirtual: pad files are never created (no ".pad" directory
// appears, not even by CreateEmptyFiles, a Move or a pad of size 0), read
// as zeros whatever was written there, and count as present.
func TestPadFilesVirtual(t *testing.T) {
	dir := t.TempDir()
	files := []FileSpec{
		{Path: "a", Length: 3},
		{Path: filepath.Join(".pad", "5"), Length: 5, Pad: true},
		{Path: filepath.Join("t", ".pad", "0"), Pad: true},
		{Path: "b", Length: 2},
		{Path: filepath.Join(".pad", "6"), Length: 6, Pad: true}, // tail padding
	}
	s := New(dir, files, Options{})
	defer s.Close()
	if _, err := s.WriteAt(bytes.Repeat([]byte{7}, 16), 0); err != nil {
		t.Fatal(err)
	}
	must(t, s.CreateEmptyFiles())
	got := make([]byte, 16)
	if _, err := s.ReadAt(got, 0); err != nil || !bytes.Equal(got, []byte{7, 7, 7, 0, 0, 0, 0, 0, 7, 7, 0, 0, 0, 0, 0, 0}) {
		t.Fatalf("ReadAt = %v, %v", got, err)
	}
	ahead := make([]byte, 16)
	if _, _, err := s.ReadAtAhead(ahead, 0, 16); err != nil || !bytes.Equal(ahead, got) {
		t.Fatalf("ReadAtAhead = %v, %v", ahead, err)
	}
	sizes, _ := s.FileSizes()
	if sizes[1] != 5 || sizes[2] != 0 || sizes[4] != 6 {
		t.Fatalf("pad sizes %v: pads are never missing", sizes)
	}
	dst := t.TempDir()
	must(t, s.Move(dst, FailIfExist))
	for _, root := range []string{dir, dst} {
		for _, p := range []string{".pad", filepath.Join("t", ".pad")} {
			if _, err := os.Lstat(filepath.Join(root, p)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s exists: %v", filepath.Join(root, p), err)
			}
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestMoveLink: across file systems a link is recreated, not copied
// (copying would copy what it points to).
func TestMoveLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no symlinks")
	}
	dir := t.TempDir()
	from, to := filepath.Join(dir, "l"), filepath.Join(dir, "m")
	must(t, os.Symlink(filepath.Join("..", "x"), from))
	must(t, moveLink(from, to))
	if got, err := os.Readlink(to); err != nil || got != filepath.Join("..", "x") {
		t.Fatalf("moved link -> %q, %v", got, err)
	}
	if _, err := os.Lstat(from); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("source left: %v", err)
	}
}
