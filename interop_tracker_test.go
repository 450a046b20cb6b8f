package actorrent

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// trackerFixture is a small payload and its .torrent (no trackers in the
// file: each test gives its own through AddTorrentParams or libtorrent's
// options).
func trackerFixture(t *testing.T) (ti *TorrentInfo, src, torrentPath string) {
	t.Helper()
	dir := t.TempDir()
	src = filepath.Join(dir, "src")
	writePayload(t, src, map[string]int64{"t/a.bin": 700 << 10, "t/b.bin": 33333}, 11)
	ti, err := CreateTorrent(filepath.Join(src, "t"), CreateTorrentOptions{PieceSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ti.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	torrentPath = filepath.Join(dir, "t.torrent")
	if err := os.WriteFile(torrentPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return ti, src, torrentPath
}

func startOpentracker(ctx context.Context, t *testing.T, ih InfoHash) *interop.Opentracker {
	t.Helper()
	return interop.OpentrackerForTest(ctx, t, [20]byte(ih))
}

// TestTrackerLibtorrentSeedsWeDownload: a libtorrent seeder and our
// downloader know only the tracker (no ConnectPeer), over HTTP and UDP.
func TestTrackerLibtorrentSeedsWeDownload(t *testing.T) {
	needInterop(t)
	for _, proto := range []string{"http", "udp"} {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			ti, src, path := trackerFixture(t)
			url := opentrackerURL(ctx, t, ti.InfoHash(), proto)
			libtorrentAnnounced(ctx, t, interop.Options{Torrent: path, Save: src, Trackers: []string{url}})
			s := newTestSession(t)
			dst := t.TempDir()
			h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst, Trackers: [][]string{{url}}})
			if err != nil {
				t.Fatal(err)
			}
			st := waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
			checkSameTree(t, filepath.Join(src, "t"), filepath.Join(dst, "t"))
			if st.CurrentTracker != url {
				t.Errorf("current_tracker %q, want %q", st.CurrentTracker, url)
			}
			// The tracker's one peer is in the list, known as a seed.
			if st.ListPeers != 1 || st.ListSeeds != 1 {
				t.Errorf("list_peers %d list_seeds %d, want 1 and 1", st.ListPeers, st.ListSeeds)
			}
			seen, _ := alertCounts(ctx, t, s)
			if seen["tracker_announce"] == 0 || seen["tracker_reply"] == 0 || seen["tracker_error"] != 0 {
				t.Errorf("alerts %v", seen)
			}
			// completed reaches the tracker: it now counts a seed.
			trs := waitTrackers(ctx, t, h, func(ts []AnnounceEntry) bool { return len(ts) == 1 && ts[0].CompleteSent })
			if !trs[0].Working || !trs[0].StartSent {
				t.Errorf("tracker %+v", trs[0])
			}
			// Tracker bytes reach the session with the torrent's next
			// per-second report.
			for {
				ss, err := s.Status(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if ss.TotalTrackerUpload > 0 && ss.TotalTrackerDownload > 0 {
					break
				}
				select {
				case <-ctx.Done():
					t.Fatalf("no tracker traffic in the session status: %+v", ss)
				case <-time.After(50 * time.Millisecond):
				}
			}
		})
	}
}

func waitTrackers(ctx context.Context, t *testing.T, h TorrentHandle, cond func([]AnnounceEntry) bool) []AnnounceEntry {
	t.Helper()
	for {
		ts, err := h.Trackers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cond(ts) {
			return ts
		}
		select {
		case <-ctx.Done():
			t.Fatalf("trackers never as wanted: %+v", ts)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestTrackerWeSeedLibtorrentDownloads: the other way round.
func TestTrackerWeSeedLibtorrentDownloads(t *testing.T) {
	needInterop(t)
	for _, proto := range []string{"http", "udp"} {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			ti, src, path := trackerFixture(t)
			url := opentrackerURL(ctx, t, ti.InfoHash(), proto)
			s := newTestSession(t)
			h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Trackers: [][]string{{url}}})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
			waitTrackers(ctx, t, h, func(ts []AnnounceEntry) bool { return len(ts) == 1 && ts[0].Working })
			libtorrentFetches(ctx, t, interop.Options{Torrent: path, Trackers: []string{url}}, src, "t")
		})
	}
}

// TestTrackerDeadAndGarbageTierFailover: tier 0 holds a dead tracker and
// one that answers garbage, tier 1 opentracker: the download still
// happens, and tracker_error alerts name the two bad ones.
func TestTrackerDeadAndGarbageTierFailover(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	ti, src, path := trackerFixture(t)
	ot := startOpentracker(ctx, t, ti.InfoHash())
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<html>not a tracker</html>"))
	}))
	defer garbage.Close()
	dead := deadURL(t)
	libtorrentAnnounced(ctx, t, interop.Options{Torrent: path, Save: src, Trackers: []string{ot.HTTPAnnounceURL()}})
	s := newTestSession(t)
	dst := t.TempDir()
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst,
		Trackers: [][]string{{dead, garbage.URL + "/announce"}, {ot.UDPAnnounceURL()}}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, filepath.Join(src, "t"), filepath.Join(dst, "t"))
	_, all := alertCounts(ctx, t, s)
	failed := map[string]string{}
	for _, a := range all {
		if e, ok := a.(TrackerErrorAlert); ok {
			failed[e.URL] = e.Message()
			if e.TimesInRow < 1 || e.Error == nil {
				t.Errorf("tracker_error %s", e.Message())
			}
		}
	}
	if failed[dead] == "" || failed[garbage.URL+"/announce"] == "" || len(failed) != 2 {
		t.Errorf("tracker errors: %v", failed)
	}
	t.Logf("errors: %v", failed)
}

// deadURL is an HTTP tracker URL on a port nobody listens on.
func deadURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/announce"
}

// TestTrackerCloseSendsStoppedWithinTimeout: Session.Close sends stopped
// to the tracker that knows us, and returns within stop_tracker_timeout
// although another tracker never answers.
func TestTrackerCloseSendsStoppedWithinTimeout(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	events := map[string]int{}
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		events[r.URL.Query().Get("event")]++
		mu.Unlock()
		_, _ = w.Write([]byte("d8:intervali1800e5:peers0:e"))
	}))
	defer counting.Close()
	hang := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer hanging.Close()
	defer close(hang)

	ti, src, _ := trackerFixture(t)
	set := testSettings()
	set.SetInt(StopTrackerTimeout, 1)
	set.SetBool(AnnounceToAllTiers, true)
	s, err := NewSession(ctx, set)
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src,
		Trackers: [][]string{{counting.URL + "/announce"}, {hanging.URL + "/announce"}}})
	if err != nil {
		t.Fatal(err)
	}
	waitTrackers(ctx, t, h, func(ts []AnnounceEntry) bool {
		return len(ts) == 2 && ts[0].Working && ts[1].Updating
	})
	start := time.Now()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// Far enough above the 1 s timeout for a busy machine's scheduling,
	// below the 5 s default: the setting is what bounds Close. (The
	// timeout itself is timed exactly in virtual time in torrentactor's
	// TestAnnounceStopBoundedByTimeout.)
	if d := time.Since(start); d > 4500*time.Millisecond {
		t.Errorf("Close took %v with stop_tracker_timeout 1 s", d)
	}
	mu.Lock()
	defer mu.Unlock()
	if events["started"] != 1 || events["stopped"] != 1 {
		t.Errorf("tracker saw %v", events)
	}
}
