package storage

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// CreateEmptyFiles creates every zero-length file and its directories
// (writes never touch them, so they would otherwise be missing), and the
// symbolic links. Call it when the download completes and when seeding.
func (s *Storage) CreateEmptyFiles() error {
	if s.pool.isClosed() {
		return ErrClosed
	}
	var errs []error
	for i := range s.files {
		f := &s.files[i]
		if f.Length != 0 || f.Pad || f.parked {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(f.abs), 0o755); err != nil {
			errs = append(errs, s.fileErr(i, "create", err))
			continue
		}
		if f.Symlink != "" {
			if err := s.createSymlink(i); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		h, err := os.OpenFile(f.abs, os.O_WRONLY|os.O_CREATE, f.perm())
		if err != nil {
			errs = append(errs, s.fileErr(i, "create", err))
			continue
		}
		if err := h.Close(); err != nil {
			errs = append(errs, s.fileErr(i, "close", err))
		}
	}
	return errors.Join(errs...)
}

// FileSizes returns the size on disk (-1 if missing or not a regular file)
// and modification time of each file, for resume checks. Pad files are
// virtual: they report their full Length and a zero time. Symlinks report
// -1 without being looked at (libtorrent's stat cache pretends they do not
// exist; following one would report its target).
func (s *Storage) FileSizes() ([]int64, []time.Time) {
	sizes := make([]int64, len(s.files))
	times := make([]time.Time, len(s.files))
	for i := range s.files {
		f := &s.files[i]
		if f.Pad {
			sizes[i] = f.Length
			continue
		}
		if f.Symlink != "" {
			sizes[i] = -1
			continue
		}
		st, err := os.Stat(f.abs)
		if err != nil || !st.Mode().IsRegular() {
			sizes[i] = -1
			continue
		}
		sizes[i], times[i] = st.Size(), st.ModTime()
	}
	return sizes, times
}

// Flush fsyncs every open writable file.
func (s *Storage) Flush() error {
	p := &s.pool
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	var hs []*handle
	for e := p.lru.Front(); e != nil; e = e.Next() {
		if h := e.Value.(*handle); h.writable {
			h.refs++ // keep it open while we sync outside the lock
			hs = append(hs, h)
		}
	}
	p.mu.Unlock()
	var errs []error
	for _, h := range hs {
		if err := h.f.Sync(); err != nil {
			errs = append(errs, s.fileErr(h.idx, "sync", err))
		}
		p.release(h)
	}
	return errors.Join(errs...)
}

// ReleaseFiles closes every open handle; files reopen lazily on the next
// access. Handles in use by a running ReadAt/WriteAt close when it ends.
func (s *Storage) ReleaseFiles() error {
	s.pool.mu.Lock()
	defer s.pool.mu.Unlock()
	if s.pool.closed {
		return ErrClosed
	}
	return errors.Join(s.detachAll(), s.closePart())
}

// closePart closes the part file, if any.
func (s *Storage) closePart() error {
	if s.part == nil {
		return nil
	}
	return s.part.close()
}

// Close releases the handles; every later call except DeleteFiles,
// FileSizes and the accessors fails with ErrClosed.
func (s *Storage) Close() error {
	s.pool.mu.Lock()
	defer s.pool.mu.Unlock()
	if s.pool.closed {
		return ErrClosed
	}
	s.pool.closed = true
	return errors.Join(s.detachAll(), s.closePart())
}

// DeleteFiles closes the handles, removes every file of the torrent and
// then every directory between them and the save path that is left empty.
// It never removes the save path or anything not in the torrent (a
// directory still holding other files stays). It works after Close too,
// so a torrent can be stopped first and deleted afterwards.
func (s *Storage) DeleteFiles() error {
	s.pool.mu.Lock()
	closeErr := s.detachAll()
	s.pool.mu.Unlock()
	_ = closeErr // the files are going away; a close error is moot

	var errs []error
	if s.part != nil {
		if err := s.part.remove(); err != nil {
			errs = append(errs, err)
		}
	}
	dirs := map[string]bool{}
	root := filepath.Clean(s.savePath)
	for i := range s.files {
		f := &s.files[i]
		if f.Pad {
			continue
		}
		if err := os.Remove(f.abs); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, s.fileErr(i, "remove", err))
		}
		for d := filepath.Dir(f.abs); isBelow(d, root); d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	// Deepest first, so a parent is tried after its children.
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	sort.Slice(list, func(a, b int) bool {
		if la, lb := len(list[a]), len(list[b]); la != lb {
			return la > lb
		}
		return list[a] < list[b]
	})
	for _, d := range list {
		// os.Remove refuses non-empty directories, which is what keeps
		// files that are not ours.
		_ = os.Remove(d)
	}
	return errors.Join(errs...)
}

// isBelow reports whether dir is strictly inside root.
func isBelow(dir, root string) bool {
	rel, err := filepath.Rel(root, dir)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
