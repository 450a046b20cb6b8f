package interop

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// needClients skips the test unless aria2c, transmission-cli, libtorrent
// (to make the torrent) and opentracker can run here.
func needClients(t *testing.T) {
	t.Helper()
	needLibtorrent(t, true)
	for _, err := range []error{Aria2Available(), TransmissionAvailable()} {
		if err != nil {
			t.Skip(err)
		}
	}
}

// TestTransmissionSeedsAria2Downloads runs the two harnesses against each
// other, with no engine of ours in between: Transmission seeds the test
// payload and announces to opentracker, where aria2c finds it (Transmission
// itself never dials loopback peers, aria2c does). aria2c creates the empty
// file too, so the trees must be identical.
func TestTransmissionSeedsAria2Downloads(t *testing.T) {
	needClients(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
	defer cancel()
	plain := newFixture(ctx, t, nil)
	ot := OpentrackerForTest(ctx, t, plain.infoHash)
	f := newFixture(ctx, t, []string{ot.HTTPAnnounceURL()})

	seeder, err := StartTransmission(ctx, TransmissionOptions{Torrent: f.torrent, Dir: f.src})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("transmission log:\n%s", seeder.Log())
		}
		if err := seeder.Stop(); err != nil {
			t.Error(err)
		}
	})
	// Its announce is in before aria2c asks (opentracker's interval is
	// long, so aria2c would not ask again in a test's time).
	if _, _, err := seeder.p.waitLine(ctx, 0, "the tracker's reply", func(l string) bool {
		return containsAll(l, "Got ", " from tracker")
	}); err != nil {
		t.Fatal(err)
	}
	dl, err := StartAria2(ctx, Aria2Options{Torrent: f.torrent, Dir: f.dst, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("aria2c log:\n%s", dl.Log())
		}
		if err := dl.Stop(); err != nil {
			t.Error(err)
		}
	})
	if err := dl.WaitDownloaded(ctx); err != nil {
		t.Fatal(err)
	}
	if err := CompareTrees(f.src, f.dst); err != nil {
		t.Fatal(err)
	}
}

// TestClientFailures: a client that cannot start or is given a bad
// torrent fails with an error, never a hang, and Stop stays idempotent.
func TestClientFailures(t *testing.T) {
	if testing.Short() {
		t.Skip("starts aria2c and transmission-cli; skipped with -short")
	}
	for _, err := range []error{Aria2Available(), TransmissionAvailable()} {
		if err != nil {
			t.Skip(err)
		}
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	dir := t.TempDir()
	bogus := filepath.Join(dir, "bogus.torrent")
	if err := os.WriteFile(bogus, []byte("d4:infoi1ee"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := StartAria2(ctx, Aria2Options{Torrent: bogus}); !errors.Is(err, ErrBadOptions) {
		t.Errorf("aria2c without Dir: %v, want ErrBadOptions", err)
	}
	if _, err := StartTransmission(ctx, TransmissionOptions{Dir: dir}); !errors.Is(err, ErrBadOptions) {
		t.Errorf("transmission-cli without Torrent: %v, want ErrBadOptions", err)
	}
	if _, err := StartAria2(ctx, Aria2Options{Torrent: bogus, Dir: dir}); !errors.Is(err, ErrStart) || !errors.Is(err, ErrExited) {
		t.Errorf("aria2c with a bogus torrent: %v, want ErrStart and ErrExited", err)
	}
	if _, err := StartTransmission(ctx, TransmissionOptions{Torrent: bogus, Dir: dir}); !errors.Is(err, ErrStart) || !errors.Is(err, ErrExited) {
		t.Errorf("transmission-cli with a bogus torrent: %v, want ErrStart and ErrExited", err)
	}
}

// containsAll reports whether s contains every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
