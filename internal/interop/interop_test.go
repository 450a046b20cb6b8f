package interop

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testPayload has the awkward cases: an empty file, a file smaller than a
// block, and a file spanning many pieces whose end is not piece-aligned.
var testPayload = map[string]int64{
	"pl/empty":       0,
	"pl/small.bin":   100,
	"pl/sub/big.bin": 1<<20 + 12345,
}

const testPieceSize = 32 << 10

// needLibtorrent skips the test when it cannot run here.
func needLibtorrent(t *testing.T, tracker bool) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts real libtorrent processes; skipped with -short")
	}
	if err := Available(); err != nil {
		t.Skip(err)
	}
	if tracker {
		if err := OpentrackerAvailable(); err != nil {
			t.Skip(err)
		}
	}
}

// fixture is a payload and its torrent in a per-test temp dir.
type fixture struct {
	src, dst, torrent string
	infoHash          [20]byte
}

// newFixture makes the payload under src/ and a libtorrent torrent of
// src/pl announcing to trackers.
func newFixture(ctx context.Context, t *testing.T, trackers []string) fixture {
	t.Helper()
	root := t.TempDir()
	f := fixture{src: filepath.Join(root, "src"), dst: filepath.Join(root, "dst"), torrent: filepath.Join(root, "t.torrent")}
	if err := MakePayload(f.src, testPayload, 42); err != nil {
		t.Fatal(err)
	}
	ih, err := CreateTorrentWithLibtorrentInfoHash(ctx, filepath.Join(f.src, "pl"), f.torrent, testPieceSize, trackers)
	if err != nil {
		t.Fatal(err)
	}
	f.infoHash = ih
	return f
}

// stopAll stops peers at the end of a test and reports their logs on failure.
func stopAll(t *testing.T, peers ...*Libtorrent) {
	t.Helper()
	t.Cleanup(func() {
		for i, p := range peers {
			if err := p.Stop(); err != nil {
				t.Errorf("peer %d Stop: %v", i, err)
			}
			if t.Failed() {
				t.Logf("peer %d log:\n%s", i, p.Log())
			}
		}
	})
}

// seedAndDownload runs the meeting: a seeder of f, then a downloader that
// knows only peers (none: trackers only), and checks the bytes.
func seedAndDownload(ctx context.Context, t *testing.T, f fixture, direct bool) {
	t.Helper()
	seeder, err := StartSeeder(ctx, Options{Torrent: f.torrent, Save: f.src})
	if err != nil {
		t.Fatal(err)
	}
	stopAll(t, seeder)
	if err := seeder.WaitSeeding(ctx); err != nil {
		t.Fatal(err)
	}
	o := Options{Torrent: f.torrent, Save: f.dst, Timeout: 20 * time.Second}
	if direct {
		o.Peers = []string{seeder.Addr()}
	} else {
		// The seeder must be in the swarm before the downloader asks.
		if _, err := seeder.WaitEvent(ctx, "tracker_reply"); err != nil {
			t.Fatal(err)
		}
	}
	dl, err := StartDownloader(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	stopAll(t, dl)
	fin, err := dl.WaitFinished(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The downloader exits 0 after finished: files are closed, compare.
	select {
	case <-dl.Exited():
	case <-ctx.Done():
		t.Fatal("downloader did not exit after finishing")
	}
	if err := dl.Stop(); err != nil {
		t.Fatalf("downloader exit: %v", err)
	}
	if err := CompareTrees(f.src, f.dst); err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, n := range testPayload {
		total += n
	}
	if got, _ := fin.Raw["total_payload_download"].(float64); int64(got) < total {
		t.Errorf("payload downloaded %v bytes, want >= %d", got, total)
	}
	if fin.Seconds <= 0 || fin.MaxRSSKiB <= 0 || fin.CPUSeconds <= 0 {
		t.Errorf("finished event lacks measurements: %+v", fin)
	}
}

func TestLibtorrentDirect(t *testing.T) {
	needLibtorrent(t, false)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 25*time.Second)
	defer cancel()
	seedAndDownload(ctx, t, newFixture(ctx, t, nil), true)
}

func TestLibtorrentViaOpentracker(t *testing.T) {
	needLibtorrent(t, true)
	for _, tc := range []struct {
		name string
		url  func(*Opentracker) string
	}{
		{"http", (*Opentracker).HTTPAnnounceURL},
		{"udp", (*Opentracker).UDPAnnounceURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 25*time.Second)
			defer cancel()
			// The info-hash does not cover the announce URL, so a torrent
			// without trackers gives the hash to whitelist first.
			plain := newFixture(ctx, t, nil)
			ot, err := StartOpentracker(ctx, plain.infoHash)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := ot.Stop(); err != nil {
					t.Error(err)
				}
			})
			f := newFixture(ctx, t, []string{tc.url(ot)})
			if f.infoHash != plain.infoHash {
				t.Fatalf("info-hash changed with the tracker: %x vs %x", f.infoHash, plain.infoHash)
			}
			seedAndDownload(ctx, t, f, false)
		})
	}
}

// TestLibtorrentFailures checks that failures surface as errors, not hangs.
func TestLibtorrentFailures(t *testing.T) {
	needLibtorrent(t, false)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	dir := t.TempDir()
	bogus := filepath.Join(dir, "bogus.torrent")
	if err := os.WriteFile(bogus, []byte("d4:infoi1ee"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		o       Options
		wantErr error // from Start, else from WaitFinished
	}{
		{"missing torrent", Options{Torrent: filepath.Join(dir, "nope.torrent"), Save: dir}, ErrExited},
		{"bogus torrent", Options{Torrent: bogus, Save: dir}, ErrExited},
		{"no save", Options{Torrent: bogus}, ErrBadOptions},
		{"torrent and magnet", Options{Torrent: bogus, Magnet: "magnet:?xt=urn:btih:00", Save: dir}, ErrBadOptions},
		{"bad peer", Options{Torrent: bogus, Save: dir, Peers: []string{"nocolon"}}, ErrBadOptions},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dl, err := StartDownloader(ctx, tc.o)
			if err != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Start error %v, want %v", err, tc.wantErr)
				}
				return
			}
			_, err = dl.WaitFinished(ctx)
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("WaitFinished error %v, want %v", err, tc.wantErr)
			}
			if err := dl.Stop(); !errors.Is(err, ErrExited) {
				t.Errorf("Stop after a failed run: %v, want ErrExited", err)
			}
			if err := dl.Stop(); !errors.Is(err, ErrExited) {
				t.Errorf("second Stop: %v, want the same error", err)
			}
		})
	}
}

// TestStopSeeder checks that Stop ends a long-running seeder promptly and
// that waiting on a stopped process fails instead of hanging.
func TestStopSeeder(t *testing.T) {
	needLibtorrent(t, false)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	f := newFixture(ctx, t, nil)
	s, err := StartSeeder(ctx, Options{Torrent: f.torrent, Save: f.src, SeedMode: true, UploadLimit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WaitSeeding(ctx); err != nil {
		t.Fatalf("%v\n%s", err, s.Log())
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	// Whether the process ended by itself, not how fast: a busy machine
	// can take seconds to tear a libtorrent session down.
	if s.signalled {
		t.Errorf("Stop had to signal the seeder: stdin EOF did not end it")
	}
	if _, err := s.WaitEvent(ctx, "never"); !errors.Is(err, ErrExited) {
		t.Errorf("WaitEvent after Stop: %v, want ErrExited", err)
	}
	if got := s.Addr(); got == "" || got == "127.0.0.1:0" {
		t.Errorf("Addr() = %q", got)
	}
}
