package actorrent

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// TestMagnetLibtorrentSeedsWeDownload: libtorrent seeds and announces to
// opentracker; we add only a magnet link with its tr= (no ConnectPeer),
// fetch the metadata from libtorrent and download byte-identical files.
func TestMagnetLibtorrentSeedsWeDownload(t *testing.T) {
	needInterop(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	ti, src, path := trackerFixture(t)
	ot := startOpentracker(ctx, t, ti.InfoHash())
	libtorrentAnnounced(ctx, t, interop.Options{Torrent: path, Save: src, Trackers: []string{ot.HTTPAnnounceURL()}})
	s := newTestSession(t)
	dst := t.TempDir()
	uri := fmt.Sprintf("magnet:?xt=urn:btih:%s&dn=t&tr=%s", ti.InfoHash(), ot.HTTPAnnounceURL())
	h, err := s.AddTorrent(ctx, AddTorrentParams{URL: uri, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, filepath.Join(src, "t"), filepath.Join(dst, "t"))
	got, err := h.TorrentFile(ctx)
	if err != nil || got == nil {
		t.Fatalf("torrent file %v, %v", got, err)
	}
	if got.InfoHash() != ti.InfoHash() || got.Name() != "t" {
		t.Errorf("torrent file %s %q", got.InfoHash(), got.Name())
	}
	st, err := h.Status(ctx)
	if err != nil || !st.HasMetadata {
		t.Errorf("status %+v, %v", st, err)
	}
	seen, _ := alertCounts(ctx, t, s)
	if seen["metadata_received"] != 1 || seen["metadata_failed"] != 0 || seen["tracker_reply"] == 0 {
		t.Errorf("alerts %v", seen)
	}
}

// TestMagnetWeSeedLibtorrentDownloads: we seed; libtorrent gets a magnet
// link and fetches the metadata from us: naming us in x.pe, or naming
// only opentracker, which we announce to.
func TestMagnetWeSeedLibtorrentDownloads(t *testing.T) {
	needInterop(t)
	for _, via := range []string{"x.pe", "tracker"} {
		t.Run(via, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
			defer cancel()
			ti, src, _ := trackerFixture(t)
			s := newTestSession(t)
			p := AddTorrentParams{TI: ti, SavePath: src}
			var trackerURL string
			if via == "tracker" {
				trackerURL = startOpentracker(ctx, t, ti.InfoHash()).HTTPAnnounceURL()
				p.Trackers = [][]string{{trackerURL}}
			}
			h, err := s.AddTorrent(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
			uri := MakeMagnetURI(ti)
			if via == "x.pe" {
				addrs, err := s.ListenAddrs(ctx)
				if err != nil || len(addrs) == 0 {
					t.Fatalf("listen addrs %v, %v", addrs, err)
				}
				uri += "&x.pe=" + addrs[0]
			} else {
				waitTrackers(ctx, t, h, func(ts []AnnounceEntry) bool { return len(ts) == 1 && ts[0].Working })
				uri += "&tr=" + url.QueryEscape(trackerURL)
			}
			libtorrentFetches(ctx, t, interop.Options{Magnet: uri}, src, "t")
		})
	}
}

// TestMagnetParams: a torrent added by magnet has no metadata until peers
// give it (TorrentFile is nil, nil; the name is dn); bad URIs are clear
// ErrInvalidParams.
func TestMagnetParams(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	s := newTestSession(t)
	ih := InfoHash{1, 2, 3}
	h, err := s.AddTorrent(ctx, AddTorrentParams{URL: "magnet:?xt=urn:btih:" + ih.String() + "&dn=hello&tr=http://127.0.0.1:1/announce&tr=http://127.0.0.1:2/announce", SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if h.InfoHash() != ih {
		t.Errorf("info-hash %s", h.InfoHash())
	}
	ti, err := h.TorrentFile(ctx)
	if ti != nil || err != nil {
		t.Errorf("torrent file before metadata: %v, %v", ti, err)
	}
	st, err := h.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != DownloadingMetadata || st.HasMetadata || st.Name != "hello" {
		t.Errorf("status %s %v %q", StateName(st.State), st.HasMetadata, st.Name)
	}
	trs, err := h.Trackers(ctx)
	if err != nil || len(trs) != 2 || trs[0].Tier != 0 || trs[1].Tier != 1 {
		t.Errorf("trackers %+v, %v", trs, err)
	}
	// Without metadata: pause and resume work, resume data cannot be
	// saved yet, and nothing touches the disk.
	if err := h.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.SaveResumeData(ctx, 0); err != nil {
		t.Fatal(err)
	}
	alerts := &hostileAlerts{s: s}
	// Without metadata, resume data records who the torrent is and where
	// its peers are (see TestResumeDataWithoutMetadata).
	sa := alerts.wait(ctx, t, "save_resume_data", func(a Alert) bool { _, ok := a.(SaveResumeDataAlert); return ok })
	if p, err := ReadResumeData(sa.(SaveResumeDataAlert).ResumeData); err != nil || p.TI != nil || p.InfoHash != h.InfoHash() {
		t.Errorf("resume data without metadata: %+v, %v", p, err)
	}
	alerts.mu.Lock()
	for _, a := range alerts.all {
		if fe, ok := a.(FileErrorAlert); ok {
			t.Errorf("file_error without metadata: %v", fe.Message())
		}
	}
	alerts.mu.Unlock()
	// A bare info-hash add works the same way.
	ih2 := InfoHash{9}
	h2, err := s.AddTorrent(ctx, AddTorrentParams{InfoHash: ih2, SavePath: t.TempDir()})
	if err != nil || h2.InfoHash() != ih2 {
		t.Fatalf("info-hash add: %v", err)
	}
	for _, bad := range []string{
		"http://example.com/x.torrent",
		"magnet:?dn=nohash",
		"magnet:?xt=urn:btih:1234",
		"magnet:?xt=urn:btih:zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
	} {
		_, err := s.AddTorrent(ctx, AddTorrentParams{URL: bad, SavePath: t.TempDir()})
		if !errors.Is(err, ErrInvalidParams) {
			t.Errorf("%q: %v, want ErrInvalidParams", bad, err)
		} else {
			t.Logf("%q: %v", bad, err)
		}
	}
	if _, err := s.AddTorrent(ctx, AddTorrentParams{SavePath: t.TempDir()}); !errors.Is(err, ErrInvalidParams) {
		t.Errorf("empty params: %v", err)
	}
	if err := s.RemoveTorrent(ctx, h, DeleteFiles); err != nil {
		t.Fatal(err)
	}
	if _, err := h.TorrentFile(ctx); !errors.Is(err, ErrInvalidHandle) {
		t.Errorf("torrent file after remove: %v", err)
	}
}

// TestMagnetWithResumeData: resume data saved with the info dictionary
// makes a magnet add start with its metadata (and its pieces); resume
// data without it, or of another torrent, is set aside.
func TestMagnetWithResumeData(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	ti, src, _ := trackerFixture(t)
	rd := seededResumeData(ctx, t, ti, src, SaveResumeSaveInfoDict)
	uri := MakeMagnetURI(ti)
	s2 := newTestSession(t)
	h2, err := s2.AddTorrent(ctx, AddTorrentParams{URL: uri, SavePath: src, ResumeData: rd})
	if err != nil {
		t.Fatal(err)
	}
	st := waitFor(ctx, t, h2, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	if !st.HasMetadata {
		t.Error("no metadata with resume data holding it")
	}
	other := "magnet:?xt=urn:btih:" + InfoHash{7}.String()
	h3, err := s2.AddTorrent(ctx, AddTorrentParams{URL: other, SavePath: t.TempDir(), ResumeData: rd})
	if err != nil {
		t.Fatal(err)
	}
	if h3.InfoHash() != (InfoHash{7}) {
		t.Errorf("magnet with another torrent's resume data added %s", h3.InfoHash())
	}
	if ti3, err := h3.TorrentFile(ctx); ti3 != nil || err != nil {
		t.Errorf("torrent file %v, %v", ti3, err)
	}
}
