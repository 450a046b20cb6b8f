package metainfo

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Helpers for the table tests that hold equivalents of libtorrent's test
// torrents (test/test_torrents in libtorrent, checked against libtorrent
// 2.0.8): the torrents are built here, never copied.

// wantFile is one expected file: path with '/', size, flags as libtorrent's
// test prints them ("p", "x", "h", "l" in that order, '-' for unset) and the
// symlink target.
type wantFile struct {
	path  string
	size  int64
	flags string
	link  string
}

// ltCase is a torrent and what libtorrent 2.0.8 makes of it: a name and
// files, or an error (err is a substring of ours, is a sentinel it wraps).
type ltCase struct {
	name     string
	data     []byte
	wantName string // "#" means the hex info-hash
	files    []wantFile
	err      string
	is       error
}

func runCases(t *testing.T, cases []ltCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(tc.data)
			if tc.err != "" || tc.is != nil {
				if !errors.Is(err, ErrInvalidTorrent) || (tc.is != nil && !errors.Is(err, tc.is)) ||
					!strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v; want %q (%v)", err, tc.err, tc.is)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, m)
			want := tc.wantName
			if want == "#" {
				want = m.InfoHash.String()
			}
			if m.Info.Name != want {
				t.Errorf("name %q, want %q", m.Info.Name, want)
			}
			var got []wantFile
			for _, f := range m.Info.Files {
				got = append(got, wantFile{filepath.ToSlash(f.Path), f.Length, flagString(f), filepath.ToSlash(f.SymlinkPath)})
			}
			if len(got) != len(tc.files) {
				t.Fatalf("files\n%v\nwant\n%v", got, tc.files)
			}
			for i := range got {
				w := tc.files[i]
				if w.flags == "" {
					w.flags = "----"
				}
				if got[i] != w {
					t.Errorf("file %d = %v, want %v", i, got[i], w)
				}
			}
		})
	}
}

func flagString(f File) string {
	b := []byte("----")
	for i, set := range []bool{f.Pad, f.Executable, f.Hidden, f.Symlink} {
		if set {
			b[i] = "pxhl"[i]
		}
	}
	return string(b)
}

// info builds an info dict of fields given as key, value pairs.
func info(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// single is a single-file info dict of one piece of 16 KiB.
func single(name string, length int64, kv ...any) map[string]any {
	m := info("name", name, "length", length, "piece length", 16384, "pieces", fakePieces(1))
	for k, v := range info(kv...) {
		m[k] = v
	}
	return m
}

// multi is a multi-file info dict named "temp" with one piece of 16 KiB.
func multi(files ...any) map[string]any {
	return info("name", "temp", "piece length", 16384, "pieces", fakePieces(1), "files", files)
}

// fe is a "files" entry; kv adds keys such as "attr" or "symlink path".
func fe(length int64, path []string, kv ...any) map[string]any {
	m := info(kv...)
	m["length"] = length
	if path != nil {
		m["path"] = path
	}
	return m
}

func p(elems ...string) []string { return elems }

// withInfo returns a copy of info with key set (or removed for nil).
func withInfo(in map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

// hf is a file of a hybrid torrent.
type hf struct {
	path   []string
	length int64
	attr   string
	link   []string
}

// hybrid builds the info dict of a hybrid torrent as libtorrent 2.0.8
// creates one: the v1 "files" list with a pad file after every file that
// does not end on a piece boundary (the last one too), and the v2 file tree
// (fake pieces roots) with the same files. With one file and name equal to
// its path, it is a single-file torrent ("length").
func hybrid(name string, pl int64, files ...hf) map[string]any {
	var list []any
	tree := map[string]any{}
	var total int64
	for k, f := range files {
		entry := map[string]any{"length": f.length, "path": f.path}
		leaf := map[string]any{"length": f.length}
		if f.attr != "" {
			entry["attr"], leaf["attr"] = f.attr, f.attr
		}
		if f.link != nil {
			entry["symlink path"], leaf["symlink path"] = f.link, f.link
		}
		if f.length > 0 && f.link == nil {
			leaf["pieces root"] = strings.Repeat(string(rune('A'+k%26)), 32)
		}
		list = append(list, entry)
		dir := tree
		for _, e := range f.path[:len(f.path)-1] {
			if dir[e] == nil {
				dir[e] = map[string]any{}
			}
			dir = dir[e].(map[string]any)
		}
		dir[f.path[len(f.path)-1]] = map[string]any{"": leaf}
		total += f.length
		if rem := total % pl; rem != 0 && f.link == nil {
			pad := pl - rem
			list = append(list, map[string]any{"attr": "p", "length": pad, "path": []string{".pad", strconv.FormatInt(pad, 10)}})
			total += pad
		}
	}
	m := info("name", name, "piece length", pl, "pieces", fakePieces(int((total+pl-1)/pl)),
		"meta version", 2, "file tree", tree, "files", list)
	if len(files) == 1 && len(files[0].path) == 1 && files[0].path[0] == name {
		delete(m, "files")
		m["length"] = files[0].length
		m["pieces"] = fakePieces(int((files[0].length + pl - 1) / pl))
	}
	return m
}

// hashName is the hex SHA-1 of the bencoded info dict.
func hashName(t *testing.T, info map[string]any) string {
	h := sha1.Sum(mustMarshal(t, info))
	return hex.EncodeToString(h[:])
}
