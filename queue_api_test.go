package actorrent

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// queueTorrents adds n torrents with nothing on disk and no peer (they
// stay downloading), auto-managed, to a session with settings.
func queueTorrents(ctx context.Context, t *testing.T, s *Session, n int) []TorrentHandle {
	t.Helper()
	var hs []TorrentHandle
	for i := range n {
		src := t.TempDir()
		writePayload(t, src, map[string]int64{"f": 40000 + int64(i)}, int64(i))
		ti, err := CreateTorrent(filepath.Join(src, "f"), CreateTorrentOptions{PieceSize: 16 * 1024})
		if err != nil {
			t.Fatal(err)
		}
		h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), Flags: FlagAutoManaged | FlagPaused})
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	return hs
}

// running reports which of hs are not paused, as a string ("100").
func running(ctx context.Context, t *testing.T, hs []TorrentHandle) string {
	t.Helper()
	out := ""
	for _, h := range hs {
		st, err := h.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out += map[bool]string{true: "0", false: "1"}[st.Paused]
	}
	return out
}

// waitRunning waits until exactly the torrents of want run.
func waitRunning(ctx context.Context, t *testing.T, hs []TorrentHandle, want string) {
	t.Helper()
	for got := running(ctx, t, hs); got != want; got = running(ctx, t, hs) {
		select {
		case <-ctx.Done():
			t.Fatalf("running %s, want %s", got, want)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// The queue through the facade: one download slot goes to the first in
// the queue; moving another to the top hands it the slot; positions
// shift as libtorrent's; AutoManaged(false) takes a torrent out.
func TestQueuePositionsAndSlots(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := testSettings()
	p.SetInt(ActiveDownloads, 1)
	s := newTestSessionWith(t, p)
	hs := queueTorrents(ctx, t, s, 3)
	waitRunning(ctx, t, hs, "100")
	positions := func() string {
		out := ""
		for _, h := range hs {
			pos, err := h.QueuePosition(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprint(pos)
		}
		return out
	}
	if got := positions(); got != "012" {
		t.Fatalf("positions %s, want 012", got)
	}
	if err := hs[2].QueuePositionTop(ctx); err != nil {
		t.Fatal(err)
	}
	if got := positions(); got != "120" {
		t.Fatalf("positions after top %s, want 120", got)
	}
	waitRunning(ctx, t, hs, "001")
	if err := hs[2].QueuePositionDown(ctx); err != nil {
		t.Fatal(err)
	}
	if got := positions(); got != "021" {
		t.Fatalf("positions after down %s, want 021", got)
	}
	waitRunning(ctx, t, hs, "100")
	// Out of the queue, a torrent stays as it is; the queue goes on.
	if err := hs[1].AutoManaged(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := hs[1].Resume(ctx); err != nil {
		t.Fatal(err)
	}
	waitRunning(ctx, t, hs, "110")
	// A larger limit at runtime starts the third.
	var q SettingsPack
	q.SetInt(ActiveDownloads, 2)
	if err := s.ApplySettings(ctx, q); err != nil {
		t.Fatal(err)
	}
	waitRunning(ctx, t, hs, "111")
}

// Session Pause stops every torrent without changing their own flags;
// Resume starts exactly those that ran.
func TestSessionPauseKeepsTorrentFlags(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _, s, h := seededPair(t, ctx)
	if err := s.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	if p, err := s.IsPaused(ctx); err != nil || !p {
		t.Fatalf("IsPaused = %v, %v", p, err)
	}
	waitAlert(ctx, t, s, "torrent_paused", func(a Alert) bool { _, ok := a.(TorrentPausedAlert); return ok })
	if st, _ := h.Status(ctx); st.Paused {
		t.Fatal("the torrent's own paused flag changed with the session's")
	}
	if err := s.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	waitAlert(ctx, t, s, "torrent_resumed", func(a Alert) bool { _, ok := a.(TorrentResumedAlert); return ok })
	if p, _ := s.IsPaused(ctx); p {
		t.Fatal("still paused")
	}
}

// The torrent's own limits: from AddTorrentParams, changed on the handle,
// kept in resume data.
func TestTorrentLimits(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newTestSession(t)
	ti, src := oneFileTorrent(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, MaxConnections: 7, UploadLimit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.SetMaxUploads(ctx, 3); err != nil {
		t.Fatal(err)
	}
	l, err := h.Limits(ctx)
	if err != nil || l != (TorrentLimits{MaxUploads: 3, MaxConnections: 7, UploadLimit: 1000}) {
		t.Fatalf("limits %+v, %v", l, err)
	}
	for _, tc := range []struct{ set, want int }{{3, 3}, {0, -1}, {-1, -1}, {5, 5}, {3, 3}} {
		if err := h.SetMaxUploads(ctx, tc.set); err != nil {
			t.Fatal(err)
		}
		if n, err := h.MaxUploads(ctx); err != nil || n != tc.want {
			t.Fatalf("MaxUploads after SetMaxUploads(%d): %d, %v; want %d", tc.set, n, err, tc.want)
		}
	}
	waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	if err := h.SaveResumeData(ctx, 0); err != nil {
		t.Fatal(err)
	}
	a := waitAlert(ctx, t, s, "save_resume_data", func(a Alert) bool { _, ok := a.(SaveResumeDataAlert); return ok })
	s2 := newTestSession(t)
	h2, err := s2.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, ResumeData: a.(SaveResumeDataAlert).ResumeData})
	if err != nil {
		t.Fatal(err)
	}
	if l2, err := h2.Limits(ctx); err != nil || l2 != l {
		t.Fatalf("limits from resume data %+v, want %+v (%v)", l2, l, err)
	}
}

// FlagUploadMode adds a torrent in upload mode (it requests nothing), and
// resume data keeps the flag.
func TestAddInUploadMode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newTestSession(t)
	ti, _ := oneFileTorrent(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), Flags: FlagUploadMode})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "downloading in upload mode", func(st TorrentStatus) bool { return st.State == Downloading && st.UploadMode })
	if err := h.SaveResumeData(ctx, 0); err != nil {
		t.Fatal(err)
	}
	a := waitAlert(ctx, t, s, "save_resume_data", func(a Alert) bool { _, ok := a.(SaveResumeDataAlert); return ok })
	s2 := newTestSession(t)
	h2, err := s2.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir(), ResumeData: a.(SaveResumeDataAlert).ResumeData})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h2, "upload mode from resume data", func(st TorrentStatus) bool { return st.UploadMode })
}

// oneFileTorrent writes a 40000-byte file and makes its torrent.
func oneFileTorrent(t *testing.T) (*TorrentInfo, string) {
	t.Helper()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"f": 40000}, 1)
	ti, err := CreateTorrent(filepath.Join(src, "f"), CreateTorrentOptions{PieceSize: 16 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	return ti, src
}
