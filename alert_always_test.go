package actorrent

import (
	"context"
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
