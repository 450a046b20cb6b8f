package actorrent

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// resumeFixture is a multi-file payload and its .torrent on disk.
func resumeFixture(t *testing.T) (ti *TorrentInfo, torrentPath, src string) {
	t.Helper()
	dir := t.TempDir()
	l := interopLayouts[1]
	src = filepath.Join(dir, "src")
	if err := interop.MakePayload(src, l.files, 41); err != nil {
		t.Fatal(err)
	}
	ti, err := CreateTorrent(filepath.Join(src, l.top), CreateTorrentOptions{PieceSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ti.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	torrentPath = filepath.Join(dir, "multi.torrent")
	if err := os.WriteFile(torrentPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return ti, torrentPath, src
}

// TestInteropResumeFromLibtorrent: fast-resume data written by libtorrent
// 2.0.8 for a finished torrent loads in ours, which seeds without a full
// check; a libtorrent downloader then gets every byte from us.
func TestInteropResumeFromLibtorrent(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	ti, torrentPath, src := resumeFixture(t)
	rdPath := filepath.Join(t.TempDir(), "lt.resume")
	lt, err := interop.StartSeeder(ctx, interop.Options{Torrent: torrentPath, Save: src, ResumeOut: rdPath})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lt.WaitEvent(ctx, "resume_saved"); err != nil {
		t.Fatal(err)
	}
	if err := lt.Stop(); err != nil {
		t.Fatal(err)
	}
	rd, err := os.ReadFile(rdPath)
	if err != nil {
		t.Fatal(err)
	}

	st, alerts, s, h := addWithResume(ctx, t, ti, src, rd)
	if a := alertNamed(alerts, "fastresume_rejected"); a != nil {
		t.Fatalf("libtorrent's resume data was rejected: %s", a.Message())
	}
	if states := statesOf(alerts, h); hasState(states, CheckingFiles) {
		t.Errorf("libtorrent's resume data led to a check: states %v", states)
	}
	if !st.IsSeeding || st.NumPieces != ti.NumPieces() {
		t.Fatalf("state %s, %d/%d pieces", StateName(st.State), st.NumPieces, ti.NumPieces())
	}

	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	libtorrentFetches(ctx, t, interop.Options{Torrent: torrentPath, Peers: addrs[:1], Timeout: 40 * time.Second}, src, "")
}

// TestInteropResumeToLibtorrent: our resume data, with the info dict,
// loads in libtorrent 2.0.8, which seeds without checking the files; we
// then download every byte from it.
func TestInteropResumeToLibtorrent(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	ti, torrentPath, src := resumeFixture(t)
	rd := seededResumeData(ctx, t, ti, src, SaveResumeSaveInfoDict)
	rdPath := filepath.Join(t.TempDir(), "ours.resume")
	if err := os.WriteFile(rdPath, rd, 0o644); err != nil {
		t.Fatal(err)
	}

	lt := libtorrentSeeding(ctx, t, interop.Options{Torrent: torrentPath, Save: src, ResumeIn: rdPath})
	// Its state_changed alerts come a moment after "seeding": wait for the
	// one to seeding, so the check below sees all of them.
	waitLibtorrentState(ctx, t, lt, "seeding")
	states := 0
	for _, ev := range lt.Events() {
		if ev.Event == "state" {
			states++
		}
		if ev.Event == "state" && ev.State == "checking_files" {
			t.Errorf("libtorrent checked the files despite our resume data (state %s from %v)", ev.State, ev.Raw["prev_state"])
		}
		if ev.Event == "alert" && ev.Type == "fastresume_rejected" {
			t.Errorf("libtorrent rejected our resume data: %s", ev.Message)
		}
	}
	if states == 0 {
		t.Error("libtorrent reported no state changes: the check above proves nothing")
	}

	s2 := newTestSession(t)
	dst := t.TempDir()
	h2, err := s2.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	if err := h2.ConnectPeer(ctx, lt.Addr()); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h2, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, src, dst)
}

// waitLibtorrentState waits for a "state" event to the given state.
func waitLibtorrentState(ctx context.Context, t *testing.T, lt *interop.Libtorrent, state string) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, ev := range lt.Events() {
			if ev.Event == "state" && ev.State == state {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("libtorrent never reported state %s", state)
		case <-tick.C:
		}
	}
}
