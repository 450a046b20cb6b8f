package torrentactor

import (
	"errors"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
	"github.com/asynkron/protoactor-go/actor"
)

// fakePeers stands in for peer actors: it records every address the
// torrent dials; an address in up "handshakes", any other fails at once
// as a refused connection would.
type fakePeers struct {
	mu       sync.Mutex
	dials    []string
	up       map[string]bool
	unchoked map[messages.PeerKey]bool // by SetChoke
}

func (f *fakePeers) props(pc any) *actor.Props {
	c := pc.(peeractor.Config)
	return actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			f.mu.Lock()
			f.dials = append(f.dials, c.Addr)
			up := f.up[c.Addr]
			f.mu.Unlock()
			if up {
				ctx.Send(ctx.Parent(), &messages.PeerConnected{Key: c.Key, Addr: c.Addr})
				return
			}
			ctx.Send(ctx.Parent(), &messages.PeerClosed{Key: c.Key, Addr: c.Addr, Err: errors.New("connection refused")})
			ctx.Stop(ctx.Self())
		case *messages.Disconnect:
			ctx.Send(ctx.Parent(), &messages.PeerClosed{Key: c.Key, Addr: c.Addr, Err: m.Err})
			ctx.Stop(ctx.Self())
		case *messages.SetChoke:
			f.mu.Lock()
			if f.unchoked == nil {
				f.unchoked = map[messages.PeerKey]bool{}
			}
			f.unchoked[c.Key] = !m.Choke
			f.mu.Unlock()
		}
	})
}

func (f *fakePeers) dialed() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.dials)
}

// peerListRig runs a seeding torrent whose peers are fakePeers, in a
// synctest bubble.
func peerListRig(t *testing.T, cfg Config, up ...string) (*rig, *actor.PID, *fakePeers) {
	r := newRig(t)
	src := t.TempDir()
	f := &fakePeers{up: map[string]bool{}}
	for _, a := range up {
		f.up[a] = true
	}
	cfg.Meta = makeMeta(t, src, "a.bin", 100<<10, 16<<10)
	cfg.SavePath, cfg.Flags, cfg.PeerProps = src, messages.FlagSeedMode, f.props
	pid := r.torrentWith(cfg, 1)
	r.waitStatus(pid, "seeding", func(s *messages.TorrentStatus) bool { return s.State == messages.StateSeeding })
	return r, pid, f
}

func trackerPeers(addrs ...string) *messages.TrackerPeers {
	m := &messages.TrackerPeers{}
	for _, a := range addrs {
		m.Peers = append(m.Peers, netip.MustParseAddrPort(a))
	}
	return m
}

// A torrent at its connection limit keeps the tracker's other peers in
// its list, and connects the next one when a connection ends.
func TestPeerListRefillsFreedSlots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, pid, f := peerListRig(t, Config{Settings: withSettings(map[string]any{"connections_limit": 1})}, "10.0.0.2:1")
		r.sys.Root.Send(pid, trackerPeers("10.0.0.1:1", "10.0.0.2:1"))
		advance(2 * time.Second)
		if got, want := f.dialed(), []string{"10.0.0.1:1", "10.0.0.2:1"}; !slices.Equal(got, want) {
			t.Fatalf("dialed %v, want %v (one at a time, the next when the first failed)", got, want)
		}
		st := r.status(pid)
		if st.ListPeers != 2 || st.NumPeers != 1 {
			t.Fatalf("list_peers %d num_peers %d, want 2 and 1", st.ListPeers, st.NumPeers)
		}
		// The failed peer's retry is due, but there is no room for it.
		advance(2 * time.Minute)
		if n := len(f.dialed()); n != 2 {
			t.Fatalf("dialed %d times at the connection limit, want 2", n)
		}
		if st := r.status(pid); st.ConnectCandidates != 1 {
			t.Fatalf("connect_candidates = %d, want 1 (the failed peer, its wait over)", st.ConnectCandidates)
		}
	})
}

// A peer that cannot be reached is tried again after min_reconnect_time
// times its fail count, and forgotten after max_failcount failures.
func TestPeerListBacksOffAndForgetsDeadPeers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := Config{Settings: withSettings(map[string]any{"max_failcount": 3, "min_reconnect_time": 60})}
		r, pid, f := peerListRig(t, cfg)
		r.sys.Root.Send(pid, trackerPeers("10.0.0.1:1"))
		advance(time.Second)
		for i, wait := range []time.Duration{time.Minute, 2 * time.Minute} {
			advance(wait - 3*time.Second)
			if n := len(f.dialed()); n != i+1 {
				t.Fatalf("retry %d came early: %d dials", i+1, n)
			}
			advance(3 * time.Second)
			if n := len(f.dialed()); n != i+2 {
				t.Fatalf("retry %d did not come after %v: %d dials", i+1, wait, n)
			}
		}
		if st := r.status(pid); st.ListPeers != 0 {
			t.Fatalf("list_peers = %d after max_failcount failures, want 0", st.ListPeers)
		}
		advance(10 * time.Minute)
		if n := len(f.dialed()); n != 3 {
			t.Fatalf("a forgotten peer was dialed again: %d dials", n)
		}
	})
}

// connection_speed bounds the connections opened from the list to so many
// a second: a session-wide budget holding one second's worth, refilled
// continuously. The first batch spends it; then no more than two a second
// go out, and all five within three seconds. (No torrent_connect_boost:
// see connect_boost_test.go.)
func TestPeerListConnectionSpeed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		addrs := []string{"10.0.0.1:1", "10.0.0.2:1", "10.0.0.3:1", "10.0.0.4:1", "10.0.0.5:1"}
		r, pid, f := peerListRig(t, Config{Settings: withSettings(map[string]any{"connection_speed": 2, "torrent_connect_boost": 0})}, addrs...)
		advance(500 * time.Millisecond)
		r.sys.Root.Send(pid, trackerPeers(addrs...))
		synctest.Wait()
		if n := len(f.dialed()); n != 2 {
			t.Fatalf("dialed %d at once, want 2", n)
		}
		for k := 1; k <= 3; k++ {
			advance(time.Second)
			if n := len(f.dialed()); n > 2+2*k {
				t.Fatalf("dialed %d after %d s, want at most %d", n, k, 2+2*k)
			}
		}
		if n := len(f.dialed()); n != 5 {
			t.Fatalf("dialed %d after 3 s, want 5", n)
		}
		if st := r.status(pid); st.ListPeers != 5 || st.NumPeers != 5 {
			t.Fatalf("list_peers %d num_peers %d, want 5 and 5", st.ListPeers, st.NumPeers)
		}
	})
}
