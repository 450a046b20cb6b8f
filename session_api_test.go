package actorrent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// seededPair returns a torrent over a small payload, and a session seeding it.
func seededPair(t *testing.T, ctx context.Context) (*TorrentInfo, string, *Session, TorrentHandle) {
	t.Helper()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"d/x.bin": 300000, "d/y.bin": 5000, "d/z": 0}, 3)
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
	return ti, src, s, h
}

func TestPauseResumeAndRecheck(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src, s, h := seededPair(t, ctx)
	if err := h.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "paused", func(s TorrentStatus) bool { return s.Paused })
	if err := h.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "resumed", func(s TorrentStatus) bool { return !s.Paused })

	// Corrupt one byte on disk: a recheck must find exactly that piece bad.
	p := filepath.Join(src, "d", "x.bin")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[100000] ^= 0xff
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := h.ForceRecheck(ctx); err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, h, "rechecked", func(s TorrentStatus) bool { return s.State == Downloading })
	bad := int(100000 / ti.PieceLength())
	if st.Pieces.Has(bad) || st.NumPieces != ti.NumPieces()-1 {
		t.Fatalf("after recheck: have %d/%d, bad piece %d had=%v", st.NumPieces, ti.NumPieces(), bad, st.Pieces.Has(bad))
	}
	if st.IsSeeding || st.IsFinished {
		t.Fatal("a torrent with a bad piece must not be seeding")
	}
	_ = s
}

func TestRemoveWithDeleteFiles(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, src, s, h := seededPair(t, ctx)
	alerts, err := s.Subscribe(ctx, CategoryStorage|CategoryStatus)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveTorrent(ctx, h, DeleteFiles); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case a := <-alerts:
			if _, ok := a.(TorrentDeletedAlert); !ok {
				continue
			}
			if _, err := os.Stat(filepath.Join(src, "d")); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("torrent directory still there after torrent_deleted: %v", err)
			}
			if _, err := os.Stat(src); err != nil {
				t.Fatalf("save path itself removed: %v", err)
			}
			return
		case <-ctx.Done():
			t.Fatal("no torrent_deleted alert")
		}
	}
}

func TestAlertDeliveryPaths(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newTestSession(t)
	dispatched := make(chan Alert, 1000)
	if err := s.SetAlertDispatch(ctx, func(a Alert) { dispatched <- a }); err != nil {
		t.Fatal(err)
	}
	sub, err := s.Subscribe(ctx, CategoryStatus)
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"f": 40000}, 4)
	ti, err := CreateTorrent(filepath.Join(src, "f"), CreateTorrentOptions{PieceSize: 16 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AsyncAddTorrent(AddTorrentParams{TI: ti, SavePath: src, UserData: "mine"}); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitForAlert(ctx); err != nil {
		t.Fatal(err)
	}
	// WaitForAlert returns at once while alerts are queued.
	if err := s.WaitForAlert(ctx); err != nil {
		t.Fatal(err)
	}
	var add AddTorrentAlert
	for got := false; !got; {
		select {
		case a := <-sub:
			add, got = a.(AddTorrentAlert)
		case <-ctx.Done():
			t.Fatal("no add_torrent alert on the subscription")
		}
	}
	if add.Error != nil || add.Params.UserData != "mine" || add.Handle.InfoHash() != ti.InfoHash() {
		t.Fatalf("add_torrent alert: %+v", add)
	}
	for got := false; !got; {
		select {
		case a := <-dispatched:
			_, got = a.(AddTorrentAlert)
		case <-ctx.Done():
			t.Fatal("no add_torrent alert through the dispatch function")
		}
	}
	// Let the torrent settle so no more alerts come, then drain.
	waitFor(ctx, t, add.Handle, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	popped, err := s.PopAlerts(ctx)
	if err != nil || len(popped) == 0 {
		t.Fatalf("PopAlerts: %d alerts, %v", len(popped), err)
	}
	for _, a := range popped {
		if a.What() == "" || a.Message() == "" || a.Timestamp().IsZero() {
			t.Fatalf("incomplete alert %T: %q %q", a, a.What(), a.Message())
		}
	}
	short, cancel2 := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel2()
	if err := s.WaitForAlert(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitForAlert on an empty queue: %v", err)
	}
}

func TestAlertQueueDropsAreCounted(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := testSettings()
	p.SetInt(AlertQueueSize, 3)
	s, err := NewSession(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"f": 200000}, 5)
	ti, err := CreateTorrent(filepath.Join(src, "f"), CreateTorrentOptions{PieceSize: 16 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	alerts, err := s.PopAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last, ok := alerts[len(alerts)-1].(AlertsDroppedAlert)
	if !ok || len(last.Dropped) == 0 {
		t.Fatalf("no alerts_dropped at the end of an overflowing queue: %d alerts, last %T", len(alerts), alerts[len(alerts)-1])
	}
	var add bool
	for _, a := range alerts {
		_, isAdd := a.(AddTorrentAlert)
		add = add || isAdd
	}
	if !add {
		t.Fatal("add_torrent (never discardable) was dropped")
	}
}

func TestListenFailedAndBadParams(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p := testSettings()
	p.SetStr(ListenInterfaces, "127.0.0.1:0,not-an-address")
	s, err := NewSession(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	alerts, err := s.PopAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ok, failed bool
	for _, a := range alerts {
		switch a.(type) {
		case ListenSucceededAlert:
			ok = true
		case ListenFailedAlert:
			failed = true
		}
	}
	if !ok || !failed {
		t.Fatalf("listen alerts: succeeded=%v failed=%v", ok, failed)
	}
	if _, err := s.AddTorrent(ctx, AddTorrentParams{}); !errors.Is(err, ErrInvalidParams) {
		t.Fatalf("empty params: %v", err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetTorrents(ctx); !errors.Is(err, ErrSessionClosed) {
		t.Fatalf("after close: %v", err)
	}
}

func TestBadTorrentFilesWriteNothing(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]byte{
		"garbage":        []byte("this is not bencode"),
		"bomb":           []byte(string(make([]byte, 0)) + repeat("l", 100000)),
		"negative":       []byte("d4:infod6:lengthi-5e4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"),
		"wrong-hashes":   []byte("d4:infod6:lengthi40000e4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"),
		"huge-length":    []byte("d4:infod6:lengthi99999999999999999999e4:name1:x12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaaee"),
		"escaping-paths": []byte("d4:infod5:filesld6:lengthi5e4:pathl2:..2:..3:etceee4:name0:12:piece lengthi16384e6:pieces0:ee"),
	}
	for name, data := range cases {
		p := filepath.Join(dir, name+".torrent")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadTorrentFile(p); !errors.Is(err, ErrInvalidTorrentFile) {
			t.Errorf("%s: err = %v, want ErrInvalidTorrentFile", name, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(cases) {
		t.Fatalf("parsing wrote files: %d entries", len(entries))
	}
}

func repeat(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}
