package actorrent

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
)

// Connection exhaustion: idle connections that completed a handshake (and
// say they are interested, so that no rule about mutual disinterest
// applies) fill every slot of connections_limit. A real downloader must
// still get in: at the limit, a newcomer displaces a connection that moved
// no payload for inactivity_timeout, and downloads everything.
func TestIdleConnectionsDoNotLockOutDownloaders(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ti, src := oneFileTorrent(t)
	set := testSettings()
	set.SetInt(ConnectionsLimit, 4)
	set.SetInt(ConnectionsSlack, 2)
	set.SetInt(InactivityTimeout, 1)
	set.SetInt(AlertMask, int(CategoryError|CategoryPeer|CategoryDebug)) // peer_disconnected is debug
	seed := newTestSessionWith(t, set)
	h, err := seed.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	addrs, err := seed.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// Loopback peers are in the local class, whose connection_limit_factor
	// (150) lets in half as many again: 6.
	const full = 6
	for range full {
		p := dialHostile(t, addrs[0], ti, nil)
		if err := p.send(wire.Message{ID: wire.Interested}); err != nil {
			t.Fatal(err)
		}

	}
	waitFor(ctx, t, h, "every slot taken", func(st TorrentStatus) bool { return st.NumPeers == full })

	dst := t.TempDir()
	dl := newTestSession(t)
	dh, err := dl.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	// The downloader dials again whenever it was turned away, until it is
	// in: the idlers become displaceable one inactivity_timeout after they
	// connected.
	for {
		if err := dh.ConnectPeer(ctx, addrs[0]); err != nil {
			t.Fatal(err)
		}
		st, err := dh.Status(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if st.IsFinished {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the downloader never got in past the idle connections: %+v", st)
		case <-time.After(200 * time.Millisecond):
		}
	}
	if err := sameTree(src, dst); err != nil {
		t.Fatal(err)
	}
	// One of the idlers was displaced, with the reason.
	waitAlert(ctx, t, seed, "a displaced idler", func(a Alert) bool {
		d, ok := a.(PeerDisconnectedAlert)
		return ok && errors.Is(d.Error, ErrDisplaced)
	})
}

// A connection whose two sides want nothing of each other is closed after
// inactivity_timeout, as libtorrent does.
func TestMutuallyUninterestedConnectionsClose(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src := oneFileTorrent(t)
	set := testSettings()
	set.SetInt(InactivityTimeout, 1)
	set.SetInt(AlertMask, int(CategoryError|CategoryDebug))
	seed := newTestSessionWith(t, set)
	h, err := seed.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(st TorrentStatus) bool { return st.IsSeeding })
	addrs, err := seed.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dialHostile(t, addrs[0], ti, nil) // never says it is interested
	waitAlert(ctx, t, seed, "the uninterested peer closed", func(a Alert) bool {
		d, ok := a.(PeerDisconnectedAlert)
		return ok && errors.Is(d.Error, ErrUninteresting)
	})
}
