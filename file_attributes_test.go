package actorrent

import (
	"context"
	"crypto/sha1"
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// attrTorrent is a torrent "t" with BEP 47 attributes, as libtorrent
// creates them: a (20000) | pad (12768) | b (30000, executable) | pad
// (2768) | l -> b (symlink) | e (empty). Its piece hashes cover the pads as
// zeros. It returns the torrent and the payload of a and b.
func attrTorrent(t *testing.T) (*TorrentInfo, []byte, []byte) {
	t.Helper()
	r := rand.New(rand.NewSource(47))
	a, b := make([]byte, 20000), make([]byte, 30000)
	r.Read(a)
	r.Read(b)
	stream := append(append(append(append([]byte(nil), a...), make([]byte, 12768)...), b...), make([]byte, 2768)...)
	const pl = 16384
	var pieces []byte
	for off := 0; off < len(stream); off += pl {
		h := sha1.Sum(stream[off:min(off+pl, len(stream))])
		pieces = append(pieces, h[:]...)
	}
	info := map[string]any{
		"name": "t", "piece length": pl, "pieces": pieces,
		"files": []any{
			map[string]any{"length": 20000, "path": []string{"a"}},
			map[string]any{"length": 12768, "path": []string{".pad", "12768"}, "attr": "p"},
			map[string]any{"length": 30000, "path": []string{"b"}, "attr": "x"},
			map[string]any{"length": 2768, "attr": "p"},
			map[string]any{"length": 0, "path": []string{"l"}, "attr": "l", "symlink path": []string{"b"}},
			map[string]any{"length": 0, "path": []string{"e"}},
		},
	}
	data, err := bencodex.Marshal(map[string]any{"info": info})
	if err != nil {
		t.Fatal(err)
	}
	ti, err := ParseTorrent(data)
	if err != nil {
		t.Fatal(err)
	}
	return ti, a, b
}

// TestFileAttributesEndToEnd: a torrent with pad files, an executable file
// and a symlink is checked complete from the real files alone, seeds, and
// downloads into a tree with the executable bit and the link, and never a
// ".pad" directory.
func TestFileAttributesEndToEnd(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks and executable bits")
	}
	ti, a, b := attrTorrent(t)
	files := ti.Files()
	if !files[1].PadFile || !files[2].Executable || files[4].SymlinkPath != filepath.Join("t", "b") || files[4].Size != 0 {
		t.Fatalf("files %+v", files)
	}
	src := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(src, "t"), 0o755))
	must(os.WriteFile(filepath.Join(src, "t", "a"), a, 0o644))
	must(os.WriteFile(filepath.Join(src, "t", "b"), b, 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, saddrs := seedingSession(ctx, t, ti, src) // the check found every piece
	dst := t.TempDir()
	_, lh, _ := downloadingSession(ctx, t, ti, dst)
	must(lh.ConnectPeer(ctx, saddrs[0]))
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })

	for _, dir := range []string{src, dst} {
		if _, err := os.Lstat(filepath.Join(dir, ".pad")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: .pad exists (%v)", dir, err)
		}
		if _, err := os.Lstat(filepath.Join(dir, "t", ".pad")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: t/.pad exists (%v)", dir, err)
		}
		if target, err := os.Readlink(filepath.Join(dir, "t", "l")); err != nil || target != "b" {
			t.Errorf("%s: t/l -> %q, %v", dir, target, err)
		}
		if st, err := os.Stat(filepath.Join(dir, "t", "e")); err != nil || st.Size() != 0 {
			t.Errorf("%s: t/e: %v", dir, err)
		}
	}
	if err := sameTree(src, dst); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dst, "t", "b")); err != nil || st.Mode().Perm()&0o100 == 0 {
		t.Fatalf("downloaded t/b is not executable: %v %v", st.Mode(), err)
	}
}

// TestTorrentFileV2Errors: a v2-only torrent and a hybrid whose file lists
// disagree give errors.Is-able errors that are also invalid torrent files.
func TestTorrentFileV2Errors(t *testing.T) {
	leaf := map[string]any{"": map[string]any{"length": 5, "pieces root": string(make([]byte, 31)) + "r"}}
	v2 := map[string]any{"name": "x", "piece length": 16384, "meta version": 2, "file tree": map[string]any{"x": leaf}}
	hybrid := map[string]any{"name": "x", "piece length": 16384, "meta version": 2, "file tree": map[string]any{"y": leaf},
		"length": 5, "pieces": string(make([]byte, 20))}
	for _, tc := range []struct {
		info map[string]any
		want error
	}{{v2, ErrV2OnlyTorrent}, {hybrid, ErrInconsistentFiles}} {
		data, err := bencodex.Marshal(map[string]any{"info": tc.info})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseTorrent(data)
		if !errors.Is(err, tc.want) || !errors.Is(err, ErrInvalidTorrentFile) {
			t.Errorf("err = %v, want %v", err, tc.want)
		}
	}
}
