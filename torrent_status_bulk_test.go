package actorrent

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
)

// smallTorrent writes a file of its own (seeded by i) and makes its
// torrent, named t<i>.
func smallTorrent(t *testing.T, i int) (*TorrentInfo, string) {
	t.Helper()
	src := t.TempDir()
	name := fmt.Sprintf("t%d", i)
	writePayload(t, src, map[string]int64{name: 20000}, int64(i)+1)
	ti, err := CreateTorrent(filepath.Join(src, name), CreateTorrentOptions{PieceSize: 16 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	return ti, src
}

// noTrackers answers every announce with nothing, without a socket.
type noTrackers struct{}

func (noTrackers) Announce(context.Context, string, tracker.AnnounceRequest) (tracker.AnnounceResponse, error) {
	return tracker.AnnounceResponse{}, nil
}

func (noTrackers) Scrape(context.Context, string, [20]byte) (tracker.ScrapeResponse, error) {
	return tracker.ScrapeResponse{}, nil
}

// bubbleSession is a session without sockets (a synctest bubble has
// none: no listen sockets, no tracker clients) under the default alert
// mask.
func bubbleSession(t *testing.T) *Session {
	t.Helper()
	p := DefaultSettings()
	p.SetStr(ListenInterfaces, "")
	s, err := NewSession(context.Background(), p, func(o *sessionOptions) { o.trackers = noTrackers{} })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(context.Background()); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// GetTorrentStatus asks every torrent at once, runs the predicate in the
// caller, keeps the session's order, and fills the costly fields only when
// asked.
func TestGetTorrentStatusPredicateAndFlags(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newTestSession(t)
	const n = 40
	var want []InfoHash
	for i := range n {
		ti, src := smallTorrent(t, i)
		h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Flags: FlagPaused})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, h.InfoHash())
	}
	all, err := s.GetTorrentStatus(ctx, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n {
		t.Fatalf("%d statuses, want %d", len(all), n)
	}
	for i, st := range all {
		if st.InfoHash != want[i] || st.Handle.InfoHash() != want[i] {
			t.Fatalf("status %d is %v, want %v (the session's order)", i, st.InfoHash, want[i])
		}
		if st.Name != "" || st.SavePath != "" || st.TorrentFile != nil || st.Pieces.Len() != 0 ||
			st.DistributedCopies != -1 || st.DistributedFullCopies != -1 || !st.LastSeenComplete.IsZero() {
			t.Fatalf("costly fields filled without flags: %+v", st.TorrentStatus)
		}
		if !st.Paused || st.NumPieces != 0 && st.TotalDone == 0 {
			t.Fatalf("status %d: paused %v, %d pieces, %d bytes done", i, st.Paused, st.NumPieces, st.TotalDone)
		}
	}
	odd := func(st TorrentStatus) bool {
		var k int
		fmt.Sscanf(st.Name, "t%d", &k)
		return k%2 == 1
	}
	got, err := s.GetTorrentStatus(ctx, odd, QueryName|QuerySavePath|QueryTorrentFile|QueryPieces)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n/2 {
		t.Fatalf("predicate kept %d of %d, want %d", len(got), n, n/2)
	}
	for _, st := range got {
		if !strings.HasPrefix(st.Name, "t") || st.SavePath == "" || st.TorrentFile == nil ||
			st.TorrentFile.InfoHash() != st.InfoHash || st.Pieces.Len() != 2 {
			t.Fatalf("asked fields missing: name %q path %q file %v pieces %d", st.Name, st.SavePath, st.TorrentFile != nil, st.Pieces.Len())
		}
		// the handle is usable
		one, err := st.Handle.Status(ctx, QueryName)
		if err != nil || one.Name != st.Name || one.Pieces.Len() != 0 {
			t.Fatalf("handle status: %v, name %q, %d pieces", err, one.Name, one.Pieces.Len())
		}
	}
	none, err := s.GetTorrentStatus(ctx, func(TorrentStatus) bool { return false }, QueryAll)
	if err != nil || len(none) != 0 {
		t.Fatalf("a predicate that refuses all: %d statuses, %v", len(none), err)
	}
}

// Status without flags is libtorrent's default, every field; with flags
// only those.
func TestHandleStatusFlags(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newTestSession(t)
	ti, src := oneFileTorrent(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	if st.Name == "" || st.SavePath != src || st.TorrentFile == nil || !st.Pieces.All() ||
		st.LastSeenComplete.IsZero() || st.SparseRegions != 0 {
		t.Fatalf("default status lacks fields: name %q path %q file %v pieces %d/%d seen %v sparse %d",
			st.Name, st.SavePath, st.TorrentFile != nil, st.Pieces.Count(), st.Pieces.Len(), st.LastSeenComplete, st.SparseRegions)
	}
	if st.TotalDone != ti.TotalSize() || st.TotalWantedDone != ti.TotalSize() || st.ProgressPPM != 1e6 {
		t.Fatalf("done %d, wanted done %d of %d, progress %d ppm", st.TotalDone, st.TotalWantedDone, ti.TotalSize(), st.ProgressPPM)
	}
	// a seed with no peers holds the only copy
	if st.DistributedFullCopies != 1 || st.DistributedFraction != 0 || st.DistributedCopies != 1 {
		t.Fatalf("distributed copies %d+%d/1000 (%v), want 1", st.DistributedFullCopies, st.DistributedFraction, st.DistributedCopies)
	}
	if st.UploadsLimit != -1 || st.ConnectionsLimit != -1 || st.TimeSinceUpload != -1 || st.LastScrape != -1 ||
		st.TimeSinceDownload != -1 || st.Priority != 0 || st.BlockSize != 16384 {
		t.Fatalf("limits %d %d, since upload %v download %v, scrape %v, priority %d, block %d",
			st.UploadsLimit, st.ConnectionsLimit, st.TimeSinceUpload, st.TimeSinceDownload, st.LastScrape, st.Priority, st.BlockSize)
	}
	only, err := h.Status(ctx, QueryPieces)
	if err != nil {
		t.Fatal(err)
	}
	if only.Name != "" || only.TorrentFile != nil || !only.Pieces.All() || only.DistributedCopies != -1 {
		t.Fatalf("QueryPieces alone: name %q file %v pieces %d copies %v", only.Name, only.TorrentFile != nil, only.Pieces.Count(), only.DistributedCopies)
	}
}

// RefreshTorrentStatus updates in place; the costly fields not asked for
// keep what they held, and a removed torrent keeps its old status.
func TestRefreshTorrentStatus(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newTestSession(t)
	var hs []TorrentHandle
	for i := range 3 {
		ti, src := smallTorrent(t, i)
		h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Flags: FlagPaused})
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	sts, err := s.GetTorrentStatus(ctx, nil, QueryName)
	if err != nil {
		t.Fatal(err)
	}
	if err := hs[0].Resume(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveTorrent(ctx, hs[2], 0); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshTorrentStatus(ctx, sts, QuerySavePath); err != nil {
		t.Fatal(err)
	}
	for i, st := range sts {
		if st.Name != fmt.Sprintf("t%d", i) {
			t.Fatalf("status %d lost its name: %q", i, st.Name)
		}
		if fresh := i < 2; (st.SavePath != "") != fresh {
			t.Fatalf("status %d: save path %q (refreshed: %v)", i, st.SavePath, fresh)
		}
	}
	if sts[0].Paused || !sts[1].Paused || !sts[2].Paused {
		t.Fatalf("paused after refresh: %v %v %v, want false true true (the removed one as it was)", sts[0].Paused, sts[1].Paused, sts[2].Paused)
	}
	if err := s.RefreshTorrentStatus(ctx, nil, QueryAll); err != nil {
		t.Fatal(err)
	}
}

// popStateUpdate posts the torrent updates and returns the state_update
// that answers it, with its torrents' names.
func popStateUpdate(ctx context.Context, t *testing.T, s *Session, flags StatusFlags) (StateUpdateAlert, []string) {
	t.Helper()
	if err := s.PostTorrentUpdates(ctx, flags); err != nil {
		t.Fatal(err)
	}
	a := waitAlert(ctx, t, s, "state_update", func(a Alert) bool { _, ok := a.(StateUpdateAlert); return ok }).(StateUpdateAlert)
	var names []string
	for _, st := range a.Status {
		names = append(names, st.Name)
	}
	slices.Sort(names)
	return a, names
}

// PostTorrentUpdates posts, under the default alert mask, the subscribed
// torrents that changed since the last post and only those; idle torrents
// report nothing. Virtual time: synctest.Wait lets every change reach the
// session first.
func TestPostTorrentUpdatesOnlyChangedSubscribed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		s := bubbleSession(t)
		var hs []TorrentHandle
		for i := range 3 {
			ti, src := smallTorrent(t, i)
			flags := DefaultAddTorrentFlags &^ FlagPaused &^ FlagAutoManaged
			if i < 2 {
				flags |= FlagUpdateSubscribe
			}
			h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Flags: flags})
			if err != nil {
				t.Fatal(err)
			}
			hs = append(hs, h)
		}
		time.Sleep(5 * time.Second) // checked, seeding
		synctest.Wait()
		steps := []struct {
			name  string
			do    func()
			flags StatusFlags
			want  []string
		}{
			{name: "added and checked", flags: QueryName, want: []string{"t0", "t1"}},
			{name: "nothing changed", flags: QueryName, want: nil},
			{name: "nothing changed an hour later", do: func() { time.Sleep(time.Hour) }, flags: QueryName, want: nil},
			{name: "t1 and t2 paused", do: func() {
				_ = hs[1].Pause(ctx, 0)
				_ = hs[2].Pause(ctx, 0)
			}, flags: QueryName, want: []string{"t1"}},
			{name: "t2 subscribes", do: func() { _ = hs[2].SetUpdateSubscribe(ctx, true) }, flags: QueryName, want: []string{"t2"}},
			{name: "t0 unsubscribes and pauses", do: func() {
				_ = hs[0].SetUpdateSubscribe(ctx, false)
				_ = hs[0].Pause(ctx, 0)
			}, flags: QueryName, want: nil},
			{name: "t1 resumes, no name asked", do: func() { _ = hs[1].Resume(ctx) }, want: []string{""}},
		}
		for _, step := range steps {
			if step.do != nil {
				step.do()
			}
			synctest.Wait()
			a, names := popStateUpdate(ctx, t, s, step.flags)
			if !slices.Equal(names, step.want) {
				t.Fatalf("%s: state_update has %q, want %q", step.name, names, step.want)
			}
			for _, st := range a.Status {
				if st.Handle.InfoHash() != st.InfoHash {
					t.Fatalf("%s: status of %v has the handle of %v", step.name, st.InfoHash, st.Handle.InfoHash())
				}
			}
			if step.name == "t1 and t2 paused" && !a.Status[0].Paused {
				t.Fatalf("%s: t1 not paused in its update", step.name)
			}
			if a.Category() != CategoryStatus || a.Type() != 68 || a.What() != "state_update" || a.Discardable() {
				t.Fatalf("state_update: category %v type %d what %q discardable %v", a.Category(), a.Type(), a.What(), a.Discardable())
			}
		}
	})
}

// Under every category the state_update comes just the same.
func TestPostTorrentUpdatesAllCategories(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newTestSession(t) // CategoryAll
	ti, src := oneFileTorrent(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, Flags: FlagUpdateSubscribe})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	a, _ := popStateUpdate(ctx, t, s, QueryAll)
	if len(a.Status) != 1 || a.Status[0].Handle != h || a.Status[0].TorrentFile == nil || !strings.Contains(a.Message(), "1 torrents") {
		t.Fatalf("state_update under all categories: %d statuses, message %q", len(a.Status), a.Message())
	}
}
