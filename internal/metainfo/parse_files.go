package metainfo

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// The v1 file list, read as libtorrent's extract_single_file and
// extract_files (src/torrent_info.cpp) read it, so that a torrent has the
// same files, sizes, flags and paths in both engines.

// MaxFileLength bounds one file's length (exclusive), as libtorrent's
// file_storage::max_file_size does: a file's merkle tree is indexed by int,
// so it may hold fewer than INT_MAX/2 blocks of 16 KiB.
const MaxFileLength = (1<<30 - 1) * 16384

// parseFiles fills info.Files and info.TotalLength from a multi-file "files"
// list of at most maxFiles entries.
func parseFiles(info *Info, raw []byte, maxFiles int) error {
	var total int64
	var ferr error
	isList, err := bencodex.ListEach(raw, func(fraw []byte) (bool, error) {
		if len(info.Files) >= maxFiles {
			ferr = invalid("more than %d files", maxFiles)
			return false, nil
		}
		f, err := parseFile(info.Name, len(info.Files), fraw)
		if err != nil {
			ferr = err
			return false, nil
		}
		if f.Length >= MaxTotalLength-total {
			ferr = invalid("total length exceeds %d", int64(MaxTotalLength))
			return false, nil
		}
		f.Offset = total
		total += f.Length
		info.Files = append(info.Files, f)
		return true, nil
	})
	switch {
	case err != nil:
		return invalid("files: %v", err)
	case !isList:
		return invalid("files must be a list")
	case ferr != nil:
		return ferr
	case len(info.Files) == 0:
		return invalid("no files in torrent")
	}
	info.TotalLength = total
	return nil
}

// parseFile parses entry index of the "files" list. Offset is set by the
// caller; symlink targets are checked once all files are known
// (sanitizeSymlinks).
func parseFile(name string, index int, raw []byte) (File, error) {
	var buf [16]dictEntry
	d, isDict, err := dictOf(raw, buf[:0])
	if err != nil {
		return File{}, invalid("file %d: %v", index, err)
	}
	if !isDict {
		return File{}, invalid("file %d is not a dictionary", index)
	}
	f := fileAttrs(d)
	if err := fileLength(&f, d); err != nil {
		return File{}, invalid("file %d: %v", index, err)
	}

	// "path.utf-8" wins whenever it is a list, even an empty or broken one,
	// as in libtorrent.
	pathRaw, isList := d.lookup("path.utf-8")
	if !isList || len(pathRaw) == 0 || pathRaw[0] != 'l' {
		pathRaw = d.get("path")
	}
	elems, isList, ok := stringList(pathRaw)
	var comps []string
	switch {
	case isList && !ok:
		return File{}, invalid("file %d: path must be a list of strings", index)
	case len(elems) > 0:
		comps = append([]string{name}, sanitizePath(elems)...)
	case f.Pad:
		// Pad files need no path: libtorrent files them under ".pad" at
		// the top of the save path, not under the torrent's name. They are
		// never created, so the path is only a name.
		comps = []string{".pad", strconv.FormatInt(f.Length, 10)}
	default:
		return File{}, invalid("file %d: missing or empty path", index)
	}
	f.PathComponents = comps
	f.Path = filepath.Join(comps...)
	markBitCometPad(&f)
	if err := symlinkTarget(&f, d); err != nil {
		return File{}, invalid("file %d: %v", index, err)
	}
	return f, nil
}

// fileAttrs reads BEP 47's "attr" string: 'p' pad, 'x' executable, 'h'
// hidden, 'l' symlink; other letters are ignored.
func fileAttrs(d dict) File {
	var f File
	attr, _ := bencodex.String(d.get("attr"))
	for _, c := range attr {
		switch c {
		case 'p':
			f.Pad = true
		case 'x':
			f.Executable = true
		case 'h':
			f.Hidden = true
		case 'l':
			f.Symlink = true
		}
	}
	return f
}

// fileLength sets f.Length from "length". A symlink takes no room in the
// byte stream: its length is 0 whatever the key says, and it may have none.
func fileLength(f *File, d dict) error {
	if f.Symlink {
		return nil
	}
	n, ok := bencodex.Int(d.get("length"))
	switch {
	case !ok || n < 0:
		return errors.New("length must be a non-negative integer")
	case n >= MaxFileLength:
		return fmt.Errorf("length %d too large (limit %d)", n, int64(MaxFileLength))
	}
	f.Length = n
	return nil
}

// markBitCometPad marks BitComet's pad files, known by name only
// ("_____padding_file_"), as libtorrent does.
func markBitCometPad(f *File) {
	if strings.Contains(f.Path, "_____padding_file_") {
		f.Pad = true
	}
}

// symlinkTarget reads a symlink's "symlink path" (relative to the
// torrent's root), sanitised element by element so it holds no ".." and no
// separator; SymlinkPath is completed by sanitizeSymlinks. Without a usable
// target the entry is an ordinary empty file, as in libtorrent (its length
// stays 0). A target list holding a non-string refuses the torrent, as
// libtorrent's path_length does.
func symlinkTarget(f *File, d dict) error {
	if !f.Symlink {
		return nil
	}
	elems, isList, ok := stringList(d.get("symlink path"))
	if isList && !ok {
		return errors.New("symlink path must be a list of strings")
	}
	target := sanitizeElems(elems)
	if len(target) == 0 {
		f.Symlink = false
		return nil
	}
	f.SymlinkPath = strings.Join(target, "/") // resolved by sanitizeSymlinks
	return nil
}

// stringList returns the elements of raw if it is a list of strings; isList
// says whether raw is a list at all.
func stringList(raw []byte) (elems []string, isList, ok bool) {
	allStrings := true
	isList, err := bencodex.ListEach(raw, func(e []byte) (bool, error) {
		s, ok := bencodex.String(e)
		if !ok {
			allStrings = false
			return false, nil
		}
		elems = append(elems, string(s))
		return true, nil
	})
	if err != nil || !isList || !allStrings {
		return nil, isList, false
	}
	return elems, true, true
}
