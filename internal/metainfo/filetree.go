package metainfo

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// BEP 52's "file tree", flattened as libtorrent's extract_files2 does. We do
// not verify v2 hashes yet: the tree is read to refuse v2-only torrents with
// a clear error (after checking them as libtorrent would), and to check that
// a hybrid torrent's v1 and v2 file lists agree before loading it as v1.

// maxTreeDepth is how deep libtorrent lets directories nest in a file tree.
const maxTreeDepth = 100

// v2File is what the file tree says of a file beyond its File.
type v2File struct {
	root [32]byte // "pieces root"; zero for empty files, symlinks and pads
}

// fileTree is a flattened file tree: files in tree order, each followed by
// the pad file that aligns the next one to a piece boundary, as libtorrent
// lays out v2 torrents.
type fileTree struct {
	files []File
	v2    []v2File
	pl    int64
	total int64
	name  string // the first file's first path component (file_storage's name)
}

// parseFileTree flattens raw under name. hasFiles says the info dict has a
// v1 "files" list: a lone file at the top is then still under name, as in
// libtorrent.
func parseFileTree(raw []byte, name string, hasFiles bool, pl int64) (*fileTree, error) {
	t := &fileTree{pl: pl}
	if err := t.dir(raw, []string{name}, hasFiles, 0); err != nil {
		return nil, err
	}
	if len(t.files) == 0 {
		return nil, invalid("no files in torrent")
	}
	if t.name == "" {
		return nil, invalid("missing name in the file tree")
	}
	return t, nil
}

// dir adds the entries of one directory of the tree.
func (t *fileTree) dir(raw []byte, root []string, hasFiles bool, depth int) error {
	if depth > maxTreeDepth {
		return invalid("file tree nested deeper than %d", maxTreeDepth)
	}
	var ferr error
	n := 0
	bencodex.DictEach(raw, func(string, []byte) (bool, error) { n++; return true, nil })
	isDict, err := bencodex.DictEach(raw, func(key string, v []byte) (bool, error) {
		if key == "" || len(v) == 0 || v[0] != 'd' {
			ferr = invalid("file tree entry %q is not a directory or a file", key)
			return false, nil
		}
		leaf, isLeaf := leafOf(v)
		dir := root
		if isLeaf && !hasFiles && n == 1 && depth == 0 {
			dir = nil // a single-file torrent: the file is not under name
		}
		comps := append(append([]string(nil), dir...), sanitizeElems([]string{strings.TrimLeft(key, "/")})...)
		if isLeaf {
			ferr = t.file(leaf, comps)
		} else {
			ferr = t.dir(v, comps, true, depth+1)
		}
		return ferr == nil, nil
	})
	switch {
	case err != nil:
		return invalid("file tree: %v", err)
	case !isDict:
		return invalid("file tree is not a dictionary")
	}
	return ferr
}

// leafOf returns the file dict of a tree node that is a file: a dict whose
// only key is "".
func leafOf(node []byte) ([]byte, bool) {
	var leaf []byte
	n := 0
	bencodex.DictEach(node, func(k string, v []byte) (bool, error) {
		n++
		if k == "" {
			leaf = v
		}
		return n < 2, nil
	})
	return leaf, n == 1 && leaf != nil
}

// file adds one file of the tree, and the pad file after it.
func (t *fileTree) file(raw []byte, comps []string) error {
	var buf [16]dictEntry
	d, isDict, err := dictOf(raw, buf[:0])
	if err != nil || !isDict {
		return invalid("file tree: file %q is not a dictionary", strings.Join(comps, "/"))
	}
	f := fileAttrs(d)
	where := strings.Join(comps, "/")
	if f.Pad {
		return invalid("file %q of the file tree has the pad attribute", where)
	}
	if err := fileLength(&f, d); err != nil {
		return fmt.Errorf("%w: file %q: %w", ErrInvalidTorrent, where, err)
	}
	if err := symlinkTarget(&f, d); err != nil {
		return fmt.Errorf("%w: file %q: %w", ErrInvalidTorrent, where, err)
	}
	var v2 v2File
	if !f.Symlink && f.Length > 0 {
		root, ok := bencodex.String(d.get("pieces root"))
		if !ok || len(root) != 32 || allZero(root) {
			return invalid("file %q has no pieces root", where)
		}
		copy(v2.root[:], root)
	}
	if len(comps) == 0 {
		return invalid("missing name in the file tree")
	}
	if t.name == "" {
		t.name = comps[0]
	}
	if f.Length >= MaxTotalLength-t.total {
		return invalid("total length exceeds %d", int64(MaxTotalLength))
	}
	f.PathComponents = comps
	f.Path = filepath.Join(comps...)
	f.Offset = t.total
	t.total += f.Length
	t.files = append(t.files, f)
	t.v2 = append(t.v2, v2)
	if rem := t.total % t.pl; rem != 0 {
		pad := t.pl - rem
		if pad >= MaxTotalLength-t.total {
			return invalid("total length exceeds %d", int64(MaxTotalLength))
		}
		n := strconv.FormatInt(pad, 10)
		t.files = append(t.files, File{
			Path: filepath.Join(t.name, ".pad", n), PathComponents: []string{t.name, ".pad", n},
			Length: pad, Offset: t.total, Pad: true,
		})
		t.v2 = append(t.v2, v2File{})
		t.total += pad
	}
	return nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// removeTailPadding drops the last non-empty file if it is a pad file:
// libtorrent 2.0.0 to 2.0.7 wrote hybrids without it in the v1 list.
func (t *fileTree) removeTailPadding() {
	for k := len(t.files) - 1; k >= 0; k-- {
		f := &t.files[k]
		if f.Length == 0 {
			continue
		}
		if f.Pad {
			t.total -= f.Length
			t.files = append(t.files[:k], t.files[k+1:]...)
			t.v2 = append(t.v2[:k], t.v2[k+1:]...)
			for j := k; j < len(t.files); j++ {
				t.files[j].Offset = t.total
			}
		}
		return
	}
}

// ErrInconsistentFiles: a hybrid torrent's v1 "files" and v2 "file tree"
// describe different files (libtorrent's torrent_inconsistent_files).
var ErrInconsistentFiles = errors.New("metainfo: inconsistent v1 and v2 files")

// checkCompatible compares a hybrid's lists as libtorrent's
// files_compatible does: the same number of files and total size, and at
// every index the same kind of file; files with data (not pads, not empty)
// must match in path, size and offset. Attributes may differ.
func checkCompatible(v1 []File, v1Total int64, t *fileTree) error {
	if len(t.files) == len(v1)+1 {
		t.removeTailPadding()
	}
	mismatch := func(format string, args ...any) error {
		return invalidKind(ErrInconsistentFiles, "the v1 and v2 file lists of a hybrid torrent do not match: "+format, args...)
	}
	if len(t.files) != len(v1) {
		return mismatch("%d files in v1, %d in v2", len(v1), len(t.files))
	}
	if t.total != v1Total {
		return mismatch("%d bytes in v1, %d in v2", v1Total, t.total)
	}
	for i := range v1 {
		a, b := &v1[i], &t.files[i]
		aData, bData := !a.Pad && a.Length > 0, !b.Pad && b.Length > 0
		if aData != bData {
			return mismatch("file %d holds data in only one of them", i)
		}
		if aData && (a.Path != b.Path || a.Length != b.Length || a.Offset != b.Offset) {
			return mismatch("file %d is %q (%d bytes at %d) in v1, %q (%d bytes at %d) in v2",
				i, a.Path, a.Length, a.Offset, b.Path, b.Length, b.Offset)
		}
	}
	return nil
}
