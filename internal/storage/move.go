package storage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// MoveFlags are libtorrent's move_flags_t (same values).
type MoveFlags int

const (
	// AlwaysReplaceFiles overwrites files already at the destination.
	AlwaysReplaceFiles MoveFlags = 0
	// FailIfExist moves nothing when any file is already at the
	// destination.
	FailIfExist MoveFlags = 1
	// DontReplace keeps files already at the destination (they are taken
	// as the torrent's) and leaves the sources where they are.
	DontReplace MoveFlags = 2
)

// ErrFileExists: a Move with FailIfExist found a file at the destination.
var ErrFileExists = errors.New("storage: file already exists at the destination")

// SavePath is the directory the files are under.
func (s *Storage) SavePath() string {
	s.pool.mu.Lock()
	defer s.pool.mu.Unlock()
	return s.savePath
}

// Move moves the torrent's files under newSavePath and makes it the save
// path. Files are renamed, or copied and removed across file systems; a
// failure puts back what was moved and leaves the save path as it was.
// Directories the move leaves empty under the old save path are removed.
// The caller guarantees no I/O on this storage runs meanwhile (the disk
// actor's fence).
func (s *Storage) Move(newSavePath string, flags MoveFlags) error {
	dst, err := filepath.Abs(newSavePath)
	if err != nil {
		return err
	}
	s.pool.mu.Lock()
	defer s.pool.mu.Unlock()
	if s.pool.closed {
		return ErrClosed
	}
	if dst == s.savePath {
		return nil
	}
	_ = s.detachAll() // reopened lazily at the new place
	if flags == FailIfExist {
		for i := range s.files {
			if f := &s.files[i]; !f.Pad && exists(filepath.Join(dst, f.Path)) {
				return s.fileErr(i, "move", fmt.Errorf("%w: %s", ErrFileExists, filepath.Join(dst, f.Path)))
			}
		}
	}
	type moved struct{ from, to string }
	var done []moved
	undo := func() {
		for k := len(done) - 1; k >= 0; k-- {
			_ = moveFile(done[k].to, done[k].from)
		}
	}
	for i := range s.files {
		f := &s.files[i]
		to := filepath.Join(dst, f.Path)
		if f.Pad || !exists(f.abs) {
			continue
		}
		if flags == DontReplace && exists(to) {
			continue
		}
		if err := moveFile(f.abs, to); err != nil {
			undo()
			return s.fileErr(i, "move", err)
		}
		done = append(done, moved{f.abs, to})
	}
	if err := s.movePartFile(dst); err != nil {
		undo()
		return fmt.Errorf("storage: move part file: %w", err)
	}
	old := s.savePath
	s.savePath = dst
	for i := range s.files {
		s.files[i].abs = filepath.Join(dst, s.files[i].Path)
	}
	for _, m := range done {
		removeEmptyDirs(filepath.Dir(m.from), old)
	}
	return nil
}

// RenameFile gives file i a new path: relative to the save path, or
// absolute. The file on disk, if any, is moved there.
func (s *Storage) RenameFile(i int, newPath string) error {
	s.pool.mu.Lock()
	defer s.pool.mu.Unlock()
	if s.pool.closed {
		return ErrClosed
	}
	if i < 0 || i >= len(s.files) || s.files[i].Pad {
		return fmt.Errorf("storage: rename: no file %d", i)
	}
	if newPath == "" || filepath.Clean(newPath) == "." {
		return s.fileErr(i, "rename", errors.New("empty file name"))
	}
	f := &s.files[i]
	to := newPath
	if !filepath.IsAbs(to) {
		to = filepath.Join(s.savePath, to)
	}
	to = filepath.Clean(to)
	if to == f.abs {
		return nil
	}
	if h := s.pool.slots[i]; h != nil {
		_ = s.pool.detach(h)
	}
	if exists(f.abs) {
		if err := moveFile(f.abs, to); err != nil {
			return s.fileErr(i, "rename", err)
		}
		removeEmptyDirs(filepath.Dir(f.abs), s.savePath)
	}
	f.abs = to
	if rel, err := filepath.Rel(s.savePath, to); err == nil {
		f.Path = rel
	} else {
		f.Path = to
	}
	return nil
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// moveFile renames from to to, creating to's directory; across file
// systems it copies and removes.
func moveFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	err := os.Rename(from, to)
	var le *os.LinkError
	if err == nil || !errors.As(err, &le) || !isCrossDevice(le.Err) {
		return err
	}
	if st, err := os.Lstat(from); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return moveLink(from, to) // copying would copy what it points to
	}
	if err := copyFile(from, to); err != nil {
		_ = os.Remove(to)
		return err
	}
	return os.Remove(from)
}

// moveLink recreates the symbolic link from at to (same target: the
// torrent's links are relative and move with its files) and removes from.
func moveLink(from, to string) error {
	target, err := os.Readlink(from)
	if err != nil {
		return err
	}
	if err := os.Symlink(target, to); err != nil {
		return err
	}
	return os.Remove(from)
}

// copyFile copies a regular file's bytes and mode, and syncs the copy
// before the source may be removed.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// removeEmptyDirs removes dir and its parents while they are empty and
// strictly below root.
func removeEmptyDirs(dir, root string) {
	for d := dir; isBelow(d, root); d = filepath.Dir(d) {
		if err := os.Remove(d); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return // not empty, or not ours to remove
			}
		}
	}
}
