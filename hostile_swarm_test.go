package actorrent

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/peeractor"
)

// The hostile swarm: one misbehaving peer (the harness's hostilePeer,
// which claims every piece) among honest seeds. Whatever it does, the
// download finishes from the honest ones with the right bytes, the
// session stays healthy, and nothing verified is lost.

// misbehave runs one behaviour against the leecher until ctx ends or the
// connection closes; the test's cleanup ends it.
type misbehave func(ctx context.Context, h *hostilePeer)

// slowLoris answers each request by trickling the block a few bytes at a
// time, every 100 ms.
func slowLoris(ctx context.Context, h *hostilePeer) {
	h.serveRequests(func(m wire.Message) bool {
		b := h.block(m)
		if b == nil {
			return false
		}
		msg := wire.AppendMessage(nil, wire.Message{ID: wire.Piece, Index: m.Index, Begin: m.Begin, Block: b})
		for len(msg) > 0 {
			n := min(4, len(msg))
			if _, err := h.conn.Write(msg[:n]); err != nil {
				return false
			}
			msg = msg[n:]
			select {
			case <-ctx.Done():
				return false
			case <-time.After(100 * time.Millisecond):
			}
		}
		return true
	})
}

// neverUnchoke reads everything and never lets the leecher download.
func neverUnchoke(ctx context.Context, h *hostilePeer) {
	_, _ = h.readUntil(func(wire.Message) bool { return ctx.Err() != nil })
}

// chokeStorm flips choke and unchoke as fast as it can write, and serves
// nothing.
func chokeStorm(ctx context.Context, h *hostilePeer) {
	go func() { _, _ = h.readUntil(func(wire.Message) bool { return false }) }()
	var b []byte
	for range 500 {
		b = wire.AppendMessage(b, wire.Message{ID: wire.Unchoke})
		b = wire.AppendMessage(b, wire.Message{ID: wire.Choke})
	}
	for ctx.Err() == nil {
		if _, err := h.conn.Write(b); err != nil {
			return
		}
	}
}

func TestHostileSwarm(t *testing.T) {
	for _, tt := range []struct {
		name string
		act  misbehave
	}{
		{"slow loris", slowLoris},
		{"never unchokes", neverUnchoke},
		{"choke storm", chokeStorm},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pl := makeHostilePayload(t, 2<<20+777, 64<<10)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			dst := t.TempDir()
			set := testSettings()
			set.SetInt(PieceTimeout, 2) // a trickling peer is snubbed soon
			leecher := newTestSessionWith(t, set)
			lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: pl.ti, SavePath: dst})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(ctx, t, lh, "downloading", func(s TorrentStatus) bool { return s.State == Downloading })
			addrs, err := leecher.ListenAddrs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			hp := dialHostile(t, addrs[0], pl.ti, pl.data)
			_ = hp.conn.SetDeadline(time.Time{}) // its behaviour decides when it stops
			if err := hp.send(hp.allHave()); err != nil {
				t.Fatal(err)
			}
			actx, stop := context.WithCancel(ctx)
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { defer wg.Done(); tt.act(actx, hp) }()
			t.Cleanup(func() { stop(); hp.conn.Close(); wg.Wait() })
			// Let it be the leecher's only peer for a while: it gets the
			// first requests (waiting for a peer event, not a duration).
			waitFor(ctx, t, lh, "the hostile peer connected", func(s TorrentStatus) bool { return s.NumPeers >= 1 })

			for range 2 {
				_, saddrs := seedingSession(ctx, t, pl.ti, pl.src)
				if err := lh.ConnectPeer(ctx, saddrs[0]); err != nil {
					t.Fatal(err)
				}
			}
			st := waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
			if st.Error != "" || st.TotalDone != pl.ti.TotalSize() {
				t.Fatalf("error %q, done %d of %d", st.Error, st.TotalDone, pl.ti.TotalSize())
			}
			if err := sameTree(pl.src, dst); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A liar sends a corrupt copy of every block it is asked for, then three
// honest seeds join. Smart ban finds it by the blocks it sent: it alone
// is banned, and the download finishes with the right bytes.
func TestHostileLiarAmongHonestSeeds(t *testing.T) {
	pl := makeHostilePayload(t, 2<<20+777, 64<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dst := t.TempDir()
	set := testSettings()
	set.SetInt(AlertMask, int(CategoryError|CategoryStatus|CategoryPeer|CategoryDebug))
	leecher := newTestSessionWith(t, set)
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: pl.ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, lh, "downloading", func(s TorrentStatus) bool { return s.State == Downloading })
	addrs, err := leecher.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hp := dialHostile(t, addrs[0], pl.ti, pl.data)
	_ = hp.conn.SetDeadline(time.Time{})
	if err := hp.send(hp.allHave()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); hp.serveAllCorrupt() }()
	t.Cleanup(func() { hp.conn.Close(); wg.Wait() })
	alerts := &hostileAlerts{s: leecher}
	// It is served first, so that pieces fail for its blocks; then the
	// honest seeds come and share pieces with it until it is found.
	alerts.wait(ctx, t, "hash_failed", func(a Alert) bool { _, ok := a.(HashFailedAlert); return ok })
	for range 3 {
		_, saddrs := seedingSession(ctx, t, pl.ti, pl.src)
		if err := lh.ConnectPeer(ctx, saddrs[0]); err != nil {
			t.Fatal(err)
		}
	}

	st := waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if st.TotalDone != pl.ti.TotalSize() {
		t.Fatalf("done %d of %d", st.TotalDone, pl.ti.TotalSize())
	}
	if err := sameTree(pl.src, dst); err != nil {
		t.Fatal(err)
	}
	// It, and only it, is banned.
	liar := hp.conn.LocalAddr().String()
	alerts.wait(ctx, t, "the liar banned", func(a Alert) bool {
		b, ok := a.(PeerBanAlert)
		if ok && b.Endpoint != liar {
			t.Fatalf("an honest peer was banned: %s", b.Endpoint)
		}
		return ok && b.Endpoint == liar
	})
	alerts.mu.Lock()
	defer alerts.mu.Unlock()
	for _, a := range alerts.all {
		if b, ok := a.(PeerBanAlert); ok && b.Endpoint != liar {
			t.Fatalf("an honest peer was banned: %s", b.Endpoint)
		}
	}
}

// fakeHaver speaks the fast extension, says it has everything, unchokes,
// and rejects every request (counted in rejects).
func fakeHaver(rejects *atomic.Int64) misbehave {
	return func(ctx context.Context, h *hostilePeer) {
		h.serveRequests(func(m wire.Message) bool {
			rejects.Add(1)
			return h.send(wire.Message{ID: wire.Reject, Index: m.Index, Begin: m.Begin, Length: m.Length}) == nil
		})
	}
}

// A peer that claims every piece and rejects every request (the fast
// extension's reject) while unchoking us is not asked again and again in
// a loop: after a bounded number of rejects without a block it is
// disconnected (peer_error ErrRejectsEverything), and the download
// finishes from an honest seed.
func TestHostileFakeHavesThenRejects(t *testing.T) {
	pl := makeHostilePayload(t, 2<<20+777, 64<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dst := t.TempDir()
	leecher, lh, addrs := downloadingSession(ctx, t, pl.ti, dst)
	hp := dialHostileFast(t, addrs[0], pl.ti, pl.data)
	if err := hp.send(wire.Message{ID: wire.HaveAll}); err != nil {
		t.Fatal(err)
	}
	var rejects atomic.Int64
	actx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); fakeHaver(&rejects)(actx, hp) }()
	t.Cleanup(func() { stop(); hp.conn.Close(); wg.Wait() })
	alerts := &hostileAlerts{s: leecher}
	alerts.peerError(ctx, t, hp.local, peeractor.ErrRejectsEverything)
	if n := rejects.Load(); n > 2*64 {
		t.Fatalf("%d requests rejected before the peer was dropped", n)
	}

	_, saddrs := seedingSession(ctx, t, pl.ti, pl.src)
	if err := lh.ConnectPeer(ctx, saddrs[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(pl.src, dst); err != nil {
		t.Fatal(err)
	}
}
