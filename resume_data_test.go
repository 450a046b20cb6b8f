package actorrent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/resume"
)

// saveResume asks h for resume data and waits for the answer among the
// session's alerts; the other alerts popped meanwhile are returned too.
func saveResume(ctx context.Context, t *testing.T, s *Session, h TorrentHandle, flags SaveResumeFlags) ([]byte, []Alert, error) {
	t.Helper()
	if err := h.SaveResumeData(ctx, flags); err != nil {
		t.Fatal(err)
	}
	var seen []Alert
	for {
		alerts, err := s.PopAlerts(ctx)
		if err != nil {
			t.Fatalf("waiting for save_resume_data: %v", err)
		}
		for _, a := range alerts {
			seen = append(seen, a)
			switch a := a.(type) {
			case SaveResumeDataAlert:
				if a.Handle == h {
					return a.ResumeData, seen, nil
				}
			case SaveResumeDataFailedAlert:
				if a.Handle == h {
					return nil, seen, a.Error
				}
			}
		}
		if err := s.WaitForAlert(ctx); err != nil {
			t.Fatalf("waiting for save_resume_data: %v", err)
		}
	}
}

// seededResumeData seeds ti from src in a new session (files checked),
// saves its resume data with flags and removes the torrent again.
func seededResumeData(ctx context.Context, t *testing.T, ti *TorrentInfo, src string, flags SaveResumeFlags) []byte {
	t.Helper()
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	rd, _, err := saveResume(ctx, t, s, h, flags)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveTorrent(ctx, h, 0); err != nil {
		t.Fatal(err)
	}
	return rd
}

// statesOf lists the states a torrent went through, from its alerts.
func statesOf(alerts []Alert, h TorrentHandle) []TorrentState {
	var out []TorrentState
	for _, a := range alerts {
		if sc, ok := a.(StateChangedAlert); ok && sc.Handle == h {
			out = append(out, sc.State)
		}
	}
	return out
}

// addWithResume adds ti at dir with resume data in a new session, waits
// until checking ends, and returns the status and every alert so far.
func addWithResume(ctx context.Context, t *testing.T, ti *TorrentInfo, dir string, rd []byte) (TorrentStatus, []Alert, *Session, TorrentHandle) {
	t.Helper()
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dir, ResumeData: rd})
	if err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, h, "checked", func(s TorrentStatus) bool {
		return s.State == Seeding || s.State == Downloading || s.Error != ""
	})
	alerts, err := s.PopAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st, alerts, s, h
}

func hasState(states []TorrentState, want TorrentState) bool {
	for _, s := range states {
		if s == want {
			return true
		}
	}
	return false
}

func alertNamed(alerts []Alert, what string) Alert {
	for _, a := range alerts {
		if a.What() == what {
			return a
		}
	}
	return nil
}

func TestResumeDataRoundTrip(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src, s, h := seededPair(t, ctx)
	rd, _, err := saveResume(ctx, t, s, h, SaveResumeSaveInfoDict|SaveResumeFlushDiskCache)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing changed: only-if-modified saves nothing.
	if _, _, err := saveResume(ctx, t, s, h, SaveResumeOnlyIfModified); !errors.Is(err, ErrResumeDataNotModified) {
		t.Fatalf("second save with only-if-modified: %v, want ErrResumeDataNotModified", err)
	}
	if err := s.RemoveTorrent(ctx, h, 0); err != nil {
		t.Fatal(err)
	}

	t.Run("trusted without a check", func(t *testing.T) {
		st, alerts, _, h2 := addWithResume(ctx, t, ti, src, rd)
		if !st.IsSeeding || st.NumPieces != ti.NumPieces() {
			t.Fatalf("state %s, %d/%d pieces", StateName(st.State), st.NumPieces, ti.NumPieces())
		}
		if states := statesOf(alerts, h2); hasState(states, CheckingFiles) {
			t.Errorf("resume data was checked in full: states %v", states)
		}
		if a := alertNamed(alerts, "fastresume_rejected"); a != nil {
			t.Errorf("rejected: %s", a.Message())
		}
	})

	t.Run("from resume data alone", func(t *testing.T) {
		s := newTestSession(t)
		h, err := s.AddTorrent(ctx, AddTorrentParams{SavePath: src, ResumeData: rd})
		if err != nil {
			t.Fatal(err)
		}
		if h.InfoHash() != ti.InfoHash() {
			t.Fatalf("info-hash %s, want %s", h.InfoHash(), ti.InfoHash())
		}
		waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	})

	t.Run("garbage is rejected and checked in full", func(t *testing.T) {
		st, alerts, _, _ := addWithResume(ctx, t, ti, src, []byte("d4:junki1ee"))
		if alertNamed(alerts, "fastresume_rejected") == nil {
			t.Error("no fastresume_rejected alert")
		}
		if !st.IsSeeding {
			t.Errorf("after a full check: state %s, %d/%d pieces", StateName(st.State), st.NumPieces, ti.NumPieces())
		}
	})

	t.Run("another torrent's data is rejected", func(t *testing.T) {
		other := t.TempDir()
		writePayload(t, other, map[string]int64{"o.bin": 40000}, 9)
		oti, err := CreateTorrent(filepath.Join(other, "o.bin"), CreateTorrentOptions{PieceSize: 16 * 1024})
		if err != nil {
			t.Fatal(err)
		}
		st, alerts, _, _ := addWithResume(ctx, t, oti, other, rd)
		if alertNamed(alerts, "fastresume_rejected") == nil {
			t.Error("no fastresume_rejected alert")
		}
		if !st.IsSeeding {
			t.Errorf("after a full check: state %s", StateName(st.State))
		}
	})
}

// TestResumeDataNeverOutlivesItsFiles: pieces resume data claims are not
// trusted for a file that was truncated, deleted or changed since; they
// are verified (kept when they pass), and the other files' pieces are
// trusted as before.
func TestResumeDataNeverOutlivesItsFiles(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// x.bin has pieces of its own, one piece spans x.bin and y.bin, and
	// y.bin has pieces of its own.
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"d/x.bin": 300000, "d/y.bin": 100000}, 5)
	ti, err := CreateTorrent(filepath.Join(src, "d"), CreateTorrentOptions{PieceSize: 32 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveTorrent(ctx, h, 0); err != nil {
		t.Fatal(err)
	}
	x, y := filepath.Join(src, "d", "x.bin"), filepath.Join(src, "d", "y.bin")
	orig, err := os.ReadFile(x)
	if err != nil {
		t.Fatal(err)
	}
	pl := ti.PieceLength()
	xPieces := int((int64(len(orig)) + pl - 1) / pl) // x.bin comes first
	restore := func(t *testing.T) {
		t.Helper()
		if err := os.WriteFile(x, orig, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(x, time.Now(), time.Now()); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("truncated", func(t *testing.T) {
		defer restore(t)
		if err := os.Truncate(x, int64(len(orig))/2); err != nil {
			t.Fatal(err)
		}
		st, alerts, _, h := addWithResume(ctx, t, ti, src, rd)
		if !hasState(statesOf(alerts, h), CheckingFiles) {
			t.Error("the truncated file's pieces were not verified")
		}
		if st.IsSeeding || st.Pieces.Has(xPieces-1) {
			t.Fatalf("a piece of the truncated part survived: seeding %v, %d pieces", st.IsSeeding, st.NumPieces)
		}
		if !st.Pieces.Has(0) || !st.Pieces.Has(ti.NumPieces()-1) {
			t.Errorf("pieces still on disk were lost: %d/%d had", st.NumPieces, ti.NumPieces())
		}
	})

	t.Run("deleted", func(t *testing.T) {
		defer restore(t)
		if err := os.Remove(x); err != nil {
			t.Fatal(err)
		}
		st, _, _, _ := addWithResume(ctx, t, ti, src, rd)
		for p := range xPieces {
			if st.Pieces.Has(p) {
				t.Fatalf("piece %d of a deleted file is had", p)
			}
		}
		if !st.Pieces.Has(ti.NumPieces() - 1) {
			t.Error("the other file's last piece was lost")
		}
	})

	t.Run("rewritten with the same size", func(t *testing.T) {
		defer restore(t)
		bad := append([]byte(nil), orig...)
		bad[0] ^= 0xff
		if err := os.WriteFile(x, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Hour)
		if err := os.Chtimes(x, later, later); err != nil {
			t.Fatal(err)
		}
		st, _, _, _ := addWithResume(ctx, t, ti, src, rd)
		if st.Pieces.Has(0) {
			t.Fatal("a changed piece was trusted")
		}
		if st.NumPieces != ti.NumPieces()-1 {
			t.Errorf("%d/%d pieces had, want all but the changed one", st.NumPieces, ti.NumPieces())
		}
	})

	t.Run("other file touched", func(t *testing.T) {
		later := time.Now().Add(time.Hour)
		if err := os.Chtimes(y, later, later); err != nil {
			t.Fatal(err)
		}
		st, _, _, _ := addWithResume(ctx, t, ti, src, rd)
		if !st.IsSeeding {
			t.Errorf("verified pieces were lost: %d/%d", st.NumPieces, ti.NumPieces())
		}
	})
}

// TestResumeDataFindsPiecesFinishedAfterTheSave: a download killed after
// its last save finished pieces the resume data does not claim; in files
// written since the save they are hashed and kept, elsewhere they are
// taken as missing (as libtorrent does) without reading.
func TestResumeDataFindsPiecesFinishedAfterTheSave(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src, s, h := seededPair(t, ctx)
	// Files at rest (written long before the save) are recorded exactly;
	// recent ones a nanosecond older (see torrentactor.fileSizes).
	old := time.Now().Add(-time.Hour)
	for _, f := range ti.Files() {
		if err := os.Chtimes(filepath.Join(src, f.Path), old, old); err != nil {
			t.Fatal(err)
		}
	}
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveTorrent(ctx, h, 0); err != nil {
		t.Fatal(err)
	}
	// As saved before the last two pieces passed.
	n := ti.NumPieces()
	older := func(touched bool) []byte {
		d, err := resume.Decode(rd)
		if err != nil {
			t.Fatal(err)
		}
		d.Pieces[n-1], d.Pieces[n-2] = 0, 0
		if touched {
			for i := range d.FileSizes {
				d.FileSizes[i].MTime -= 60
				d.FileSizes[i].MTimeNano -= 60e9
			}
		}
		b, err := d.Encode()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	st, _, _, _ := addWithResume(ctx, t, ti, src, older(true))
	if !st.IsSeeding {
		t.Errorf("files written after the save: %d/%d pieces had, want all", st.NumPieces, n)
	}
	st, _, _, _ = addWithResume(ctx, t, ti, src, older(false))
	if st.NumPieces != n-2 || st.Pieces.Has(n-1) {
		t.Errorf("files unchanged since the save: %d/%d pieces had, want all but the last two", st.NumPieces, n)
	}
}

// TestResumeDataTrackers: resume data records the tracker list as changed
// by AddTracker; on load it replaces the torrent's, or with
// FlagMergeResumeTrackers joins it.
func TestResumeDataTrackers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src, s, h := seededPair(t, ctx)
	const added = "http://127.0.0.1:1/announce"
	if err := h.AddTracker(ctx, added, 0); err != nil {
		t.Fatal(err)
	}
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := resume.Decode(rd)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Trackers) != 1 || len(d.Trackers[0]) != 1 || d.Trackers[0][0] != added {
		t.Fatalf("resume data trackers %v, want [[%s]]", d.Trackers, added)
	}
	urls := func(h TorrentHandle) []string {
		es, err := h.Trackers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.URL)
		}
		return out
	}
	s2 := newTestSession(t)
	const own = "http://127.0.0.1:2/announce"
	h2, err := s2.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, ResumeData: rd, Trackers: [][]string{{own}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := urls(h2); len(got) != 1 || got[0] != added {
		t.Errorf("trackers after load %v, want the resume data's [%s]", got, added)
	}
	s3 := newTestSession(t)
	h3, err := s3.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, ResumeData: rd, Trackers: [][]string{{own}},
		Flags: FlagMergeResumeTrackers})
	if err != nil {
		t.Fatal(err)
	}
	if got := urls(h3); len(got) != 2 {
		t.Errorf("merged trackers %v, want %s and %s", got, own, added)
	}
}
