package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// BEP 47 file attributes on disk, as libtorrent 2.0 handles them
// (src/storage_utils.cpp initialize_storage and create_symlink, and
// src/file.cpp file_perms): an executable file is created with the
// executable bits, and a symlink is created as a symbolic link whose target
// is relative to the link's own directory. Hidden files are only marked on
// Windows by libtorrent; nothing is done for them here.

// ErrSymlinkTarget: a symlink's target is not a path inside the save path.
var ErrSymlinkTarget = errors.New("storage: symlink target outside the save path")

// perm is the mode a file is created with (before the umask).
func (f *file) perm() os.FileMode {
	if f.Executable {
		return 0o755
	}
	return 0o644
}

// createSymlink makes file i a symbolic link to its target. A link already
// there with the same target is fine; anything else there is an error, as
// in libtorrent. Windows gets no links (libtorrent creates none there).
func (s *Storage) createSymlink(i int) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f := &s.files[i]
	// The parser only hands out targets inside the torrent; check again,
	// since a link is the one thing here that could point elsewhere.
	if !filepath.IsLocal(f.Symlink) {
		return s.fileErr(i, "symlink", fmt.Errorf("%w: %q", ErrSymlinkTarget, f.Symlink))
	}
	target, err := filepath.Rel(filepath.Dir(f.abs), filepath.Join(s.savePath, f.Symlink))
	if err != nil {
		return s.fileErr(i, "symlink", err)
	}
	err = os.Symlink(target, f.abs)
	if errors.Is(err, fs.ErrExist) {
		if cur, rerr := os.Readlink(f.abs); rerr == nil && cur == target {
			return nil
		}
	}
	if err != nil {
		return s.fileErr(i, "symlink", err)
	}
	return nil
}
