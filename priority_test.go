package actorrent

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFilePriorityZero: a file of priority 0 is not downloaded nor created
// (the bytes of it that boundary pieces carry wait in the part file); the
// torrent is finished, not seeding. Raising the priority downloads the
// rest and moves those bytes into the file. Resume data keeps the
// priorities.
func TestFilePriorityZero(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	src := t.TempDir()
	// 16 KiB pieces; b.bin starts and ends inside pieces shared with a and c.
	writePayload(t, src, map[string]int64{"p/a.bin": 100_000, "p/b.bin": 200_000, "p/c.bin": 50_000}, 21)
	ti, err := CreateTorrent(filepath.Join(src, "p"), CreateTorrentOptions{PieceSize: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	files := ti.Files()
	skip := -1
	for i, f := range files {
		if filepath.Base(f.Path) == "b.bin" {
			skip = i
		}
	}
	prios := make([]int, len(files))
	for i := range prios {
		prios[i] = 1
	}
	prios[skip] = 0

	seed := newTestSession(t)
	sh, err := seed.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, sh, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	addrs, _ := seed.ListenAddrs(ctx)

	s := newTestSession(t)
	dst := t.TempDir()
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst, FilePriorities: prios})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if st.IsSeeding || st.State != Finished || st.TotalWanted >= ti.TotalSize() || st.TotalWantedDone != st.TotalWanted {
		t.Errorf("finished: state %s seeding %v wanted %d/%d of %d", StateName(st.State), st.IsSeeding,
			st.TotalWantedDone, st.TotalWanted, ti.TotalSize())
	}
	if _, err := os.Stat(filepath.Join(dst, files[skip].Path)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the priority-0 file exists: %v", err)
	}
	for i, f := range files {
		if i == skip {
			continue
		}
		want, _ := os.ReadFile(filepath.Join(src, f.Path))
		got, err := os.ReadFile(filepath.Join(dst, f.Path))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs (%v)", f.Path, err)
		}
	}
	if got, _ := h.FilePriorities(ctx); len(got) != len(prios) || got[skip] != 0 {
		t.Errorf("FilePriorities = %v", got)
	}

	// Resume data keeps the priorities.
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	s2 := newTestSession(t)
	h2, err := s2.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), ResumeData: rd})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := h2.FilePriorities(ctx); len(got) != len(prios) || got[skip] != 0 {
		t.Errorf("FilePriorities from resume data = %v", got)
	}

	// Raise it: the rest comes, the part file's bytes move into the file.
	if err := h.SetFilePriority(ctx, skip, 4); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	if err := sameTree(src, dst); err != nil {
		t.Fatal(err)
	}
}
