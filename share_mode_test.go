package actorrent

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/resume"
)

// TestShareMode: a share-mode torrent with only seeds around downloads
// nothing (nobody would download it from us) and keeps the seeds; with
// three leechers that lack every piece it downloads some and uploads them;
// its resume data says share_mode; out of share mode it downloads the
// rest, byte-identical.
func TestShareMode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	src := t.TempDir()
	const size = 1 << 20
	writePayload(t, src, map[string]int64{"f.bin": size}, 7)
	// Private: no PEX, so the leechers have only us and whatever they
	// get, they get from us.
	ti, err := CreateTorrent(filepath.Join(src, "f.bin"), CreateTorrentOptions{PieceSize: 64 << 10, Private: true})
	if err != nil {
		t.Fatal(err)
	}
	var seeds []string
	for range 2 {
		_, addrs := seedingSession(ctx, t, ti, src)
		seeds = append(seeds, addrs[0])
	}
	dst := t.TempDir()
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst, Flags: FlagShareMode})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing wanted yet: finished (as libtorrent), not seeding.
	waitFor(ctx, t, h, "share mode, finished", func(st TorrentStatus) bool {
		return st.ShareMode && st.State == Finished && st.IsFinished && !st.IsSeeding && st.TotalWanted == 0
	})
	for _, a := range seeds {
		if err := h.ConnectPeer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// The seeds' stats come after their bitfields, on which share mode
	// decided: nothing to download, and the seeds are kept.
	st := waitFor(ctx, t, h, "two seeds", func(st TorrentStatus) bool { return st.NumSeeds == 2 })
	if st.State != Finished || st.TotalWanted != 0 || st.TotalPayloadDownload != 0 {
		t.Fatalf("with only seeds: state %s, wanted %d, downloaded %d; want finished, nothing",
			StateName(st.State), st.TotalWanted, st.TotalPayloadDownload)
	}

	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_, lh, _ := downloadingSession(ctx, t, ti, t.TempDir())
		if err := lh.ConnectPeer(ctx, addrs[0]); err != nil {
			t.Fatal(err)
		}
	}
	st = waitFor(ctx, t, h, "a piece downloaded and uploaded", func(st TorrentStatus) bool {
		return st.NumPieces > 0 && st.TotalPayloadUpload > 0
	})
	t.Logf("with three leechers: %d of %d pieces, %d bytes down, %d up",
		st.NumPieces, ti.NumPieces(), st.TotalPayloadDownload, st.TotalPayloadUpload)
	if !st.ShareMode {
		t.Error("status lost share mode")
	}

	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := resume.Decode(rd); err != nil || !d.ShareMode {
		t.Errorf("resume data share_mode = %v (%v), want set", d != nil && d.ShareMode, err)
	}

	if err := h.SetShareMode(ctx, false); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding out of share mode", func(st TorrentStatus) bool { return !st.ShareMode && st.IsSeeding })
	if err := sameTree(src, dst); err != nil {
		t.Fatal(err)
	}
}

// TestShareModeKeepsPriorities: share mode narrows the user's piece
// priorities without losing them: they read back as set while in share
// mode (nothing wanted), and out of it the torrent wants what they say.
func TestShareModeKeepsPriorities(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"f.bin": 4 << 16}, 3)
	ti, err := CreateTorrent(filepath.Join(src, "f.bin"), CreateTorrentOptions{PieceSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), Flags: FlagShareMode})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "share mode, finished", func(st TorrentStatus) bool { return st.ShareMode && st.State == Finished })
	prios := []int{0, 7, 1, 0}
	if err := h.PrioritizePieces(ctx, prios); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		on     bool
		wanted int64
		state  TorrentState
	}{{true, 0, Finished}, {false, 2 << 16, Downloading}, {true, 0, Finished}} {
		if err := h.SetShareMode(ctx, step.on); err != nil {
			t.Fatal(err)
		}
		st, err := h.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := h.PiecePriorities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.ShareMode != step.on || st.TotalWanted != step.wanted || st.State != step.state || !slices.Equal(got, prios) {
			t.Errorf("share mode %v: status share mode %v, wanted %d, state %s, priorities %v; want wanted %d, state %s, priorities %v",
				step.on, st.ShareMode, st.TotalWanted, StateName(st.State), got, step.wanted, StateName(step.state), prios)
		}
	}
}

// TestShareModeResume: resume data's share_mode wins over the add flag
// (as its paused and auto-managed do), unless FlagOverrideResumeData.
func TestShareModeResume(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"f.bin": 4 << 16}, 4)
	ti, err := CreateTorrent(filepath.Join(src, "f.bin"), CreateTorrentOptions{PieceSize: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	// A session for each add: the same torrent added again to a session
	// right after its removal may find the disk still closing it (and
	// hang in its check: seen without share mode too).
	saved := map[bool][]byte{}
	for _, on := range []bool{false, true} {
		var flags AddTorrentFlags
		if on {
			flags = FlagShareMode
		}
		s := newTestSession(t)
		h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), Flags: flags})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, h, "checked", func(st TorrentStatus) bool { return st.ShareMode == on && st.State != CheckingFiles })
		if saved[on], _, err = saveResume(ctx, t, s, h, SaveResumeSaveInfoDict); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name  string
		saved bool
		flags AddTorrentFlags
		want  bool
	}{
		{"saved in share mode, added without the flag", true, 0, true},
		{"saved out of it, added with the flag", false, FlagShareMode, false},
		{"saved out of it, the flag overriding", false, FlagShareMode | FlagOverrideResumeData, true},
		{"saved in share mode, overridden without the flag", true, FlagOverrideResumeData, false},
	} {
		p, err := ReadResumeData(saved[c.saved])
		if err != nil {
			t.Fatal(err)
		}
		p.Flags = c.flags
		h, err := newTestSession(t).AddTorrent(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		st := waitFor(ctx, t, h, "checked", func(st TorrentStatus) bool {
			return st.State != CheckingResumeData && st.State != CheckingFiles
		})
		if st.ShareMode != c.want {
			t.Errorf("%s: share mode %v, want %v", c.name, st.ShareMode, c.want)
		}
	}
}
