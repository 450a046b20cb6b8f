package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent"
	"github.com/actorrent/actorrent/internal/interop"
)

// TestDownloadFindsSeedThroughTracker: "demo create -tracker" puts
// opentracker in the torrent, "demo seed" announces to it, and "demo
// download" with no -peer finds the seed through it.
func TestDownloadFindsSeedThroughTracker(t *testing.T) {
	if err := interop.OpentrackerAvailable(); err != nil {
		t.Skip(err)
	}
	f := newFixture(t) // its torrent names a dead tracker; the info-hash is the same
	ti, err := actorrent.LoadTorrentFile(f.torrent)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	ot := interop.OpentrackerForTest(ctx, t, [20]byte(ti.InfoHash()))
	torrent := filepath.Join(f.root, "tracked.torrent")
	r := runDemo(t, 30*time.Second, nil, "create", "-piece-size", fmt.Sprint(testPieceSize),
		"-tracker", ot.UDPAnnounceURL(), "-o", torrent, filepath.Join(f.src, "pl"))
	if r.code != 0 {
		t.Fatalf("create: %d %s", r.code, r.stderr)
	}
	// Resume data of their own: resume data saved by earlier tests of
	// the same info-hash names their trackers, which the demo merges with
	// the torrent file's; those trackers are gone, and announcing to them
	// too would only slow the test down.
	resumeDir := filepath.Join(f.root, "resume")
	seed := startDemo(t, "seed", "-listen", "127.0.0.1:0", "-resume-dir", filepath.Join(f.root, "seed-resume"), torrent, f.src)
	seed.waitLine("listening on ", 30*time.Second)
	dst := filepath.Join(f.root, "dst")
	r = runDemo(t, 60*time.Second, nil, "download", "-timeout", "50s", "-resume-dir", resumeDir, "-o", dst, torrent)
	checkDownloaded(t, r, f.total, f.src, dst)
	if code := seed.stop(15 * time.Second); code != 0 {
		t.Errorf("seed exit code %d\nstderr: %s", code, seed.stderr.String())
	}
}

// TestDownloadMagnetFromLibtorrentThroughTracker: libtorrent seeds and
// announces to opentracker; "demo download" of a magnet link naming only
// that tracker fetches the metadata and the files from libtorrent.
func TestDownloadMagnetFromLibtorrentThroughTracker(t *testing.T) {
	if err := interop.Available(); err != nil {
		t.Skip(err)
	}
	if err := interop.OpentrackerAvailable(); err != nil {
		t.Skip(err)
	}
	f := newFixture(t)
	ti, err := actorrent.LoadTorrentFile(f.torrent)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	ot := interop.OpentrackerForTest(ctx, t, [20]byte(ti.InfoHash()))
	seeder, err := interop.StartSeeder(ctx, interop.Options{Torrent: f.torrent, Save: f.src, Trackers: []string{ot.HTTPAnnounceURL()}, UTP: true})
	if err != nil {
		t.Fatal(err)
	}
	defer seeder.Stop()
	if err := seeder.WaitSeeding(ctx); err != nil {
		t.Fatal(err)
	}
	// Registered with the tracker before we announce: else we could hear
	// of nobody and wait for a re-announce.
	if _, err := seeder.WaitEvent(ctx, "tracker_reply"); err != nil {
		t.Fatal(err)
	}
	uri := fmt.Sprintf("magnet:?xt=urn:btih:%s&dn=pl&tr=%s", ti.InfoHash(), ot.HTTPAnnounceURL())
	dst := filepath.Join(f.root, "dst")
	r := runDemo(t, 60*time.Second, nil, "download", "-timeout", "50s", "-resume-dir", filepath.Join(f.root, "resume"), "-o", dst, uri)
	checkDownloaded(t, r, f.total, f.src, dst)
	for _, want := range []string{"waiting for the metadata of " + ti.InfoHash().String(), "metadata received in "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}
