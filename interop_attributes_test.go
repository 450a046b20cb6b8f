package actorrent

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// TestInteropFileAttributes: a torrent with pad files, an executable file
// and a symlink goes both ways between our session and libtorrent 2.0.8:
// the pads are served as zeros and never created, and both engines lay out
// the same tree (the link relative to its directory, the x bit set).
func TestInteropFileAttributes(t *testing.T) {
	needInterop(t)
	ti, a, b := attrTorrent(t)
	src := t.TempDir()
	for name, data := range map[string][]byte{"a": a, "b": b} {
		if err := os.MkdirAll(filepath.Join(src, "t"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, "t", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := ti.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	torrent := filepath.Join(t.TempDir(), "attr.torrent")
	if err := os.WriteFile(torrent, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	t.Run("libtorrent downloads from us", func(t *testing.T) {
		_, addrs := seedingSession(ctx, t, ti, src)
		dst := t.TempDir()
		dl, err := interop.StartDownloader(ctx, interop.Options{Torrent: torrent, Save: dst, Peers: addrs[:1], Timeout: 40 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		stopPeerAtEnd(t, "downloader", dl)
		if _, err := dl.WaitFinished(ctx); err != nil {
			t.Fatal(err)
		}
		select { // it exits right after finishing, its files closed
		case <-dl.Exited():
		case <-ctx.Done():
			t.Fatal("libtorrent downloader did not exit after finishing")
		}
		checkSameTree(t, src, dst)
		checkAttrTree(t, dst, true)
	})
	t.Run("we download from libtorrent", func(t *testing.T) {
		seeder := libtorrentSeeding(ctx, t, interop.Options{Torrent: torrent, Save: src})
		checkAttrTree(t, src, false) // libtorrent made the link when it checked
		dst := t.TempDir()
		_, h, _ := downloadingSession(ctx, t, ti, dst)
		if err := h.ConnectPeer(ctx, seeder.Addr()); err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
		checkSameTree(t, src, dst)
		checkAttrTree(t, dst, true)
	})
}

// checkAttrTree checks attrTorrent's layout under dir: t/l links to b,
// there is no .pad anywhere and, for a download, t/b is executable.
func checkAttrTree(t *testing.T, dir string, downloaded bool) {
	t.Helper()
	if target, err := os.Readlink(filepath.Join(dir, "t", "l")); err != nil || target != "b" {
		t.Errorf("%s: t/l -> %q, %v", dir, target, err)
	}
	for _, p := range []string{".pad", filepath.Join("t", ".pad")} {
		if _, err := os.Lstat(filepath.Join(dir, p)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %s exists (%v)", dir, p, err)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "t", "b")); downloaded && (err != nil || st.Mode().Perm()&0o100 == 0) {
		t.Errorf("%s: t/b is not executable (%v)", dir, err)
	}
}
