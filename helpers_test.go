package actorrent

import (
	"context"
	"fmt"
	"math/rand"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/actorrent/actorrent/portmapactor"
)

// testSettings listens on a free loopback port and queues every alert.
func testSettings() SettingsPack {
	p := DefaultSettings()
	p.SetStr(ListenInterfaces, "127.0.0.1:0")
	// Every test session is at 127.0.0.1: one connection per IP would
	// leave a torrent one peer (ban_ip_test.go tests the default).
	p.SetBool(AllowMultipleConnectionsPerIP, true)
	// LSD's group is host-wide: a test session would find the sessions
	// of other tests (and processes) that have the same torrent. The LSD
	// tests turn it on with a group of their own (lsd_test.go).
	p.SetBool(EnableLSD, false)
	// Port mapping asks the network's gateway (SSDP multicast, NAT-PMP
	// to the default route): never in a test. The portmap tests give
	// fake gateways on loopback (portmap_test.go).
	p.SetBool(EnableUPnP, false)
	p.SetBool(EnableNATPMP, false)
	p.SetInt(AlertMask, int(CategoryAll))
	p.SetInt(AlertQueueSize, 100000)
	// Outgoing connections go over TCP only: the fake peers and the
	// TCP-only libtorrent peers of most tests answer no uTP SYN, and each
	// connect would first wait out the SYN's timeouts (utp_session_test.go
	// tests uTP, and uTP first, between sessions).
	p.SetBool(EnableOutgoingUTP, false)
	return p
}

func newTestSession(t *testing.T) *Session {
	t.Helper()
	return newTestSessionWith(t, testSettings())
}

// newTestSessionWith starts a session with settings (and opts), closed at
// the end of the test.
func newTestSessionWith(t *testing.T, settings SettingsPack, opts ...Option) *Session {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Port mapping finds no gateway, whatever the settings say (a test
	// that applies every default listens on 0.0.0.0 with enable_upnp on):
	// no test multicasts SSDP or asks the real gateway. The portmap tests
	// give fake gateways (a later option wins).
	opts = append([]Option{withPortmapDiscoverer(portmapactor.AtURLs("", netip.Addr{}))}, opts...)
	s, err := NewSession(ctx, settings, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// A minute: CI runs this package's parallel tests under -race on
		// two loaded cores, where one Close was once seen past 20 s (with
		// a test body that took 100× its usual time); a Close that hangs
		// leaves every goroutine's stack in the log to say where.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
			_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 1)
		}
	})
	return s
}

// writePayload writes files (relative path → size) of pseudo-random bytes.
func writePayload(t *testing.T, dir string, files map[string]int64, seed int64) {
	t.Helper()
	r := rand.New(rand.NewSource(seed))
	for name, size := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		b := make([]byte, size)
		r.Read(b)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sameTree compares two directory trees byte for byte.
func sameTree(a, b string) error {
	seen := map[string]bool{}
	err := filepath.Walk(a, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		seen[rel] = true
		x, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		if string(x) != string(y) {
			return fmt.Errorf("%s differs", rel)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return filepath.Walk(b, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(b, p)
		if !seen[rel] {
			return fmt.Errorf("%s is extra", rel)
		}
		return nil
	})
}

// waitFor polls the handle's status until cond holds or ctx expires.
func waitFor(ctx context.Context, t *testing.T, h TorrentHandle, what string, cond func(TorrentStatus) bool) TorrentStatus {
	t.Helper()
	for {
		st, err := h.Status(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		if cond(st) {
			return st
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s: state %s progress %.3f peers %d error %q",
				what, StateName(st.State), st.Progress, st.NumPeers, st.Error)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// seedingSession starts a session seeding ti from src (files checked) and
// returns it with its listen addresses.
func seedingSession(ctx context.Context, t *testing.T, ti *TorrentInfo, src string) (*Session, []string) {
	t.Helper()
	seeder := newTestSession(t)
	h, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	addrs, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return seeder, addrs
}

// downloadingSession adds ti at dst (nothing there yet) in a new session,
// waits until it downloads, and returns the session, the handle and the
// session's listen addresses.
func downloadingSession(ctx context.Context, t *testing.T, ti *TorrentInfo, dst string) (*Session, TorrentHandle, []string) {
	t.Helper()
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "downloading", func(s TorrentStatus) bool { return s.State == Downloading })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s, h, addrs
}

// globalSeed starts a session with settings set seeding ti from src at
// uploadLimit bytes/s, every address in the global peer class (so that
// loopback peers are limited and choked like remote ones), and returns
// it with its torrent and first listen address.
func globalSeed(ctx context.Context, t *testing.T, set SettingsPack, ti *TorrentInfo, src string, uploadLimit int) (*Session, TorrentHandle, string) {
	t.Helper()
	seeder := newTestSessionWith(t, set)
	if err := seeder.SetPeerClassFilter(ctx, everythingGlobal(t)); err != nil {
		t.Fatal(err)
	}
	h, err := seeder.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src, UploadLimit: uploadLimit})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	addrs, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return seeder, h, addrs[0]
}
