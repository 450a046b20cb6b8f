package actorrent

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Under libtorrent's default alert mask (errors only), the answers to an
// add and to a save_resume_data request are still posted: libtorrent posts
// them whatever the mask, and a program waiting for them would hang.
func TestAlwaysPostedAlertsUnderTheDefaultMask(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := DefaultSettings()
	p.SetStr(ListenInterfaces, "127.0.0.1:0")
	if p.Int(AlertMask) != int(CategoryError) {
		t.Fatalf("default alert_mask %d", p.Int(AlertMask))
	}
	s := newTestSessionWith(t, p)
	ti, src := oneFileTorrent(t)
	if err := s.AsyncAddTorrent(AddTorrentParams{TI: ti, SavePath: src}); err != nil {
		t.Fatal(err)
	}
	a := waitAlert(ctx, t, s, "add_torrent", func(a Alert) bool { _, ok := a.(AddTorrentAlert); return ok })
	h := a.(AddTorrentAlert).Handle
	waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	if err := h.SaveResumeData(ctx, 0); err != nil {
		t.Fatal(err)
	}
	waitAlert(ctx, t, s, "save_resume_data", func(a Alert) bool { _, ok := a.(SaveResumeDataAlert); return ok })
	// and nothing else of the status category came
	var q SettingsPack
	q.SetInt(AlertMask, int(CategoryError|CategoryStatus))
	if err := s.ApplySettings(ctx, q); err != nil {
		t.Fatal(err)
	}
	if err := h.SaveResumeData(ctx, 0); err != nil {
		t.Fatal(err)
	}
	waitAlert(ctx, t, s, "save_resume_data under error|status", func(a Alert) bool { _, ok := a.(SaveResumeDataAlert); return ok })
}

// file_completed comes once for each file with data, when its last piece
// is verified; the seed saw an incoming_connection first.
func TestFileCompletedAlerts(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, _, seeder, _ := seededPair(t, ctx)
	seedAddrs, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, seedAddrs[0]); err != nil {
		t.Fatal(err)
	}
	seen := map[int]int{}
	waitAlert(ctx, t, s, "torrent_finished", func(a Alert) bool {
		if fc, ok := a.(FileCompletedAlert); ok {
			seen[fc.Index]++
		}
		_, done := a.(TorrentFinishedAlert)
		return done
	})
	// what was posted before torrent_finished is all popped by now
	for i, f := range ti.Files() {
		want := 0
		if f.Size > 0 && !f.PadFile {
			want = 1
		}
		if seen[i] != want {
			t.Errorf("file %d (%s, %d bytes): %d file_completed, want %d", i, f.Path, f.Size, seen[i], want)
		}
	}
	a := waitAlert(ctx, t, seeder, "incoming_connection", func(a Alert) bool { _, ok := a.(IncomingConnectionAlert); return ok })
	if ic := a.(IncomingConnectionAlert); ic.SocketType != 1 || !strings.HasPrefix(ic.Endpoint, "127.0.0.1:") {
		t.Errorf("incoming_connection %+v", ic)
	}
}
