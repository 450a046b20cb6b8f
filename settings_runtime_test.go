package actorrent

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// ApplySettings changes what it names and nothing else; an invalid value
// changes nothing; GetSettings reads the session's current values.
func TestApplySettingsValidatesAndGets(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s := newTestSession(t)
	var p SettingsPack
	p.SetInt(ConnectionsLimit, 50)
	p.SetStr(UserAgent, "ua/1")
	if err := s.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []func(*SettingsPack){
		func(p *SettingsPack) { p.SetInt(ConnectionsLimit, -7) },
		func(p *SettingsPack) { p.SetInt(ChokingAlgorithm, 9) },
		func(p *SettingsPack) { p.SetInt(IntSetting("no_such_setting"), 1) },
		func(p *SettingsPack) { p.SetInt(IntSetting(UserAgent), 1) },
	} {
		var q SettingsPack
		q.SetInt(NumWant, 7) // valid, but goes with an invalid one
		bad(&q)
		if err := s.ApplySettings(ctx, q); !errors.Is(err, ErrInvalidSetting) {
			t.Errorf("ApplySettings(%v) = %v, want ErrInvalidSetting", q.Names(), err)
		}
	}
	got, err := s.GetSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Int(ConnectionsLimit) != 50 || got.Str(UserAgent) != "ua/1" || got.Int(NumWant) != 200 ||
		got.Str(ListenInterfaces) != "127.0.0.1:0" {
		t.Fatalf("GetSettings: connections_limit %d user_agent %q num_want %d listen %q",
			got.Int(ConnectionsLimit), got.Str(UserAgent), got.Int(NumWant), got.Str(ListenInterfaces))
	}
	if len(got.Names()) != len(SettingNames()) || len(SettingNames()) != 212 {
		t.Fatalf("GetSettings has %d settings, the engine knows %d", len(got.Names()), len(SettingNames()))
	}
	if _, err := NewSession(ctx, func() SettingsPack { p := testSettings(); p.SetInt(CacheSize, -2); return p }()); !errors.Is(err, ErrInvalidSetting) {
		t.Fatalf("NewSession with cache_size -2: %v", err)
	}
}

// listen_interfaces applied at runtime closes the old sockets and opens
// the new ones.
func TestApplyListenInterfaces(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s := newTestSession(t)
	before, err := s.ListenAddrs(ctx)
	if err != nil || len(before) != 1 {
		t.Fatal(before, err)
	}
	var p SettingsPack
	p.SetStr(ListenInterfaces, "127.0.0.2:0")
	if err := s.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	after, err := s.ListenAddrs(ctx)
	if err != nil || len(after) != 1 || !strings.HasPrefix(after[0], "127.0.0.2:") {
		t.Fatalf("listen addresses after the change: %v, %v", after, err)
	}
	if c, err := net.Dial("tcp", before[0]); err == nil {
		c.Close()
		t.Fatalf("%s still accepts after the change", before[0])
	}
	c, err := net.Dial("tcp", after[0])
	if err != nil {
		t.Fatalf("the new address does not accept: %v", err)
	}
	c.Close()
}

// user_agent applied at runtime reaches the next announce.
func TestApplyUserAgentReachesTrackers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	agents := make(chan string, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case agents <- r.Header.Get("User-Agent"):
		default:
		}
		w.Write([]byte("d8:intervali1800e5:peers0:e"))
	}))
	defer srv.Close()
	ti, src, _, _ := seededPair(t, ctx)
	s2 := newTestSession(t)
	_, err := s2.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Trackers: [][]string{{srv.URL + "/announce"}}})
	if err != nil {
		t.Fatal(err)
	}
	next := func() string {
		select {
		case ua := <-agents:
			return ua
		case <-ctx.Done():
			t.Fatal("no announce")
			return ""
		}
	}
	if ua := next(); ua != "actorrent/0.1" {
		t.Fatalf("first announce User-Agent %q", ua)
	}
	var p SettingsPack
	p.SetStr(UserAgent, "changed/2")
	if err := s2.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	// The next announce (another torrent's started; a forced re-announce
	// to a working tracker waits 30 s, as libtorrent's) carries it.
	src2 := t.TempDir()
	writePayload(t, src2, map[string]int64{"g": 5000}, 4)
	ti2, err := CreateTorrent(src2+"/g", CreateTorrentOptions{PieceSize: 16 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.AddTorrent(ctx, AddTorrentParams{TI: ti2, SavePath: src2, Trackers: [][]string{{srv.URL + "/announce"}}}); err != nil {
		t.Fatal(err)
	}
	if ua := next(); ua != "changed/2" {
		t.Fatalf("User-Agent after the change %q", ua)
	}
}

// alert_mask applied at runtime: categories turned off stop being
// queued, and turned on again are queued again.
func TestApplyAlertMask(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s := newTestSession(t)
	var p SettingsPack
	p.SetInt(AlertMask, int(CategoryError))
	if err := s.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PopAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writePayload(t, dir, map[string]int64{"a/x": 40000}, 9)
	ti, err := CreateTorrent(dir+"/a", CreateTorrentOptions{PieceSize: 16 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dir})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	popped, err := s.PopAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range popped {
		if _, ok := a.(StateChangedAlert); ok {
			t.Fatalf("state_changed queued under the error mask")
		}
	}
	p.SetInt(AlertMask, int(CategoryAll))
	if err := s.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := h.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	for {
		if err := s.WaitForAlert(ctx); err != nil {
			t.Fatalf("no torrent_paused after the mask was widened: %v", err)
		}
		popped, err := s.PopAlerts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range popped {
			if _, ok := a.(TorrentPausedAlert); ok {
				return
			}
		}
	}
}
