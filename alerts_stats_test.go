package actorrent

import (
	"context"
	"testing"
	"time"
)

func TestStatsAlertIDsAndCategories(t *testing.T) {
	for _, c := range []struct {
		a    Alert
		id   int
		what string
	}{
		{SessionStatsAlert{}, 70, "session_stats"},
		{StatsAlert{}, 57, "stats"},
	} {
		if c.a.Type() != c.id || c.a.What() != c.what || c.a.Category() != CategoryStats {
			t.Errorf("%T: Type %d What %q Category %#x, want libtorrent's %d %q stats", c.a, c.a.Type(), c.a.What(), c.a.Category(), c.id, c.what)
		}
	}
}

// PostSessionStats answers with session_stats under the default mask
// (errors only), as libtorrent does; the values are the session's.
func TestPostSessionStatsUnderTheDefaultMask(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := DefaultSettings()
	p.SetStr(ListenInterfaces, "127.0.0.1:0")
	s := newTestSessionWith(t, p)
	ti, src := oneFileTorrent(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	if err := s.PostSessionStats(ctx); err != nil {
		t.Fatal(err)
	}
	// Queued by the time PostSessionStats returned.
	alerts, err := s.PopAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got *SessionStatsAlert
	for _, a := range alerts {
		if st, ok := a.(SessionStatsAlert); ok {
			got = &st
		}
	}
	if got == nil {
		t.Fatal("no session_stats alert")
	}
	if len(got.Values) != len(SessionStatsMetrics()) {
		t.Fatalf("%d values for %d metrics", len(got.Values), len(SessionStatsMetrics()))
	}
	if v := got.Values[FindMetricIdx("ses.num_seeding_torrents")]; v != 1 {
		t.Errorf("ses.num_seeding_torrents = %d, want 1", v)
	}
	if got.Timestamp().IsZero() {
		t.Error("no timestamp")
	}
}
