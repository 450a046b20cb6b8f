package sessionactor

import (
	"context"
	"fmt"
	"math/rand"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/portmapactor"
	"github.com/asynkron/protoactor-go/actor"
)

// request asks pid and fails the test on error.
func request(t *testing.T, sys *actor.ActorSystem, pid *actor.PID, msg any) any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := actors.Request(ctx, sys.Root, pid, msg)
	if err != nil {
		t.Fatalf("request %T: %v", msg, err)
	}
	return v
}

// testSession is a session actor driven through its messages, with every
// alert it popped kept for the test.
type testSession struct {
	t      *testing.T
	sys    *actor.ActorSystem
	pid    *actor.PID
	mu     sync.Mutex
	alerts []messages.Alert
}

var sessionSeq atomic.Int64

// startSession spawns a session actor listening on a loopback port; it is
// closed when the test ends.
func startSession(t *testing.T, sys *actor.ActorSystem, cfg Config) *testSession {
	t.Helper()
	if cfg.Settings == nil {
		cfg.Settings = settings.Default()
	}
	set, err := cfg.Settings.With(map[string]any{
		"listen_interfaces": "127.0.0.1:0", "alert_mask": int(messages.CategoryAll), "alert_queue_size": 100000,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.LSDGroup.IsValid() {
		// The group is host-wide: only a test with a group of its own
		// runs LSD.
		if set, err = set.With(map[string]any{"enable_lsd": false}); err != nil {
			t.Fatal(err)
		}
	}
	if cfg.PortmapDiscoverer == nil {
		// Only a test with fake gateways maps ports; the others find
		// none even if they turn port mapping on.
		if set, err = set.With(map[string]any{"enable_upnp": false, "enable_natpmp": false}); err != nil {
			t.Fatal(err)
		}
		cfg.PortmapDiscoverer = portmapactor.AtURLs("", netip.Addr{})
	}
	cfg.Settings = set
	copy(cfg.PeerID[:], fmt.Sprintf("-TS0000-%012d", sessionSeq.Add(1)))
	s := &testSession{t: t, sys: sys, pid: sys.Root.Spawn(New(cfg))}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := actors.Request(ctx, sys.Root, s.pid, &messages.CloseSession{}); err != nil {
			t.Errorf("close session: %v", err)
			_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
		}
		_ = sys.Root.StopFuture(s.pid).Wait()
	})
	return s
}

func (s *testSession) addr() string {
	s.t.Helper()
	return request(s.t, s.sys, s.pid, &messages.ListenAddrs{}).(*messages.ListenAddrsReply).Addrs[0]
}

func (s *testSession) add(mi *metainfo.MetaInfo, save string, flags messages.AddTorrentFlags) {
	s.t.Helper()
	r := request(s.t, s.sys, s.pid, &messages.AddTorrent{Info: mi, SavePath: save, Flags: flags}).(*messages.AddTorrentReply)
	if r.Err != nil {
		s.t.Fatal(r.Err)
	}
}

// seed adds mi in seed mode and waits until it seeds: before, it refuses
// connections, and a refused peer is tried again only after
// min_reconnect_time.
func (s *testSession) seed(mi *metainfo.MetaInfo, save string) {
	s.t.Helper()
	s.add(mi, save, messages.FlagSeedMode)
	s.waitStatus(mi.InfoHash, "seeding", func(st *messages.TorrentStatus) bool { return st.IsSeeding })
}

func (s *testSession) toTorrent(ih messages.InfoHash, msg any) {
	s.t.Helper()
	request(s.t, s.sys, s.pid, &messages.ToTorrent{InfoHash: ih, Msg: msg})
}

func (s *testSession) status(ih messages.InfoHash) *messages.TorrentStatus {
	s.t.Helper()
	v := request(s.t, s.sys, s.pid, &messages.ToTorrent{InfoHash: ih, Msg: &messages.GetTorrentStatus{Flags: messages.QueryAll}, NeedsReply: true})
	st, ok := v.(*messages.TorrentStatus)
	if !ok {
		s.t.Fatalf("status of %x: %T %v", ih[:4], v, v)
	}
	return st
}

func (s *testSession) waitStatus(ih messages.InfoHash, what string, ok func(*messages.TorrentStatus) bool) *messages.TorrentStatus {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := s.status(ih)
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s: state %d pieces %d error %q", what, st.State, st.NumPieces, st.Error)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitAlert pops alerts until one satisfies ok.
func (s *testSession) waitAlert(what string, ok func(messages.Alert) bool) messages.Alert {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := request(s.t, s.sys, s.pid, &messages.PopAlerts{}).(*messages.PopAlertsReply)
		s.mu.Lock()
		s.alerts = append(s.alerts, r.Alerts...)
		for _, a := range s.alerts {
			if ok(a) {
				s.mu.Unlock()
				return a
			}
		}
		s.mu.Unlock()
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// newSystem is an actor system shut down when the test ends (after the
// sessions, whose cleanups run first).
func newSystem(t *testing.T) *actor.ActorSystem {
	sys := actors.NewSystem(nil)
	t.Cleanup(sys.Shutdown)
	return sys
}

// makeMeta writes size random bytes to dir/name and makes its torrent.
func makeMeta(t *testing.T, dir, name string, size int64) *metainfo.MetaInfo {
	t.Helper()
	b := make([]byte, size)
	rand.New(rand.NewSource(size)).Read(b)
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
	mi, err := metainfo.Create(filepath.Join(dir, name), metainfo.CreateOptions{PieceLength: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	return mi
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(x) != string(y) {
		t.Fatalf("%s and %s differ", a, b)
	}
}
