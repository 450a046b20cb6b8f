package actorrent

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// The swarm of these tests: C seeds, B downloads from C (B connected to
// it), A is told only of B and must learn of C through B's ut_pex.

// pexSwarmTorrent is a torrent large enough that A is still downloading
// when PEX tells it of C.
func pexSwarmTorrent(t *testing.T) (*TorrentInfo, string, string) {
	t.Helper()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"p/x": 8 << 20}, 11)
	ti, err := CreateTorrent(filepath.Join(src, "p"), CreateTorrentOptions{PieceSize: 64 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	data, err := ti.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	torrent := filepath.Join(t.TempDir(), "pex.torrent")
	if err := os.WriteFile(torrent, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return ti, src, torrent
}

// pexSession is a session whose alerts show its peer connections.
func pexSession(t *testing.T) *Session {
	p := testSettings()
	p.SetInt(AlertMask, int(CategoryError|CategoryPeer|CategoryDebug))
	return newTestSessionWith(t, p)
}

// waitConnectTo waits for s to connect to addr.
func waitConnectTo(ctx context.Context, t *testing.T, s *Session, addr string) {
	t.Helper()
	waitAlert(ctx, t, s, "a connection to "+addr, func(a Alert) bool {
		c, ok := a.(PeerConnectAlert)
		return ok && !c.Incoming && c.Endpoint == addr
	})
}

// slowSeedC starts our seed C uploading at 2 MiB/s and returns its listen
// addresses. Slowly, so that A needs C and is still downloading when told
// of it; and unlimited, B could finish before A connects, and two seeds
// part, leaving B no C to tell A of (a flake TestPEXThroughOurs had: 2
// failures in 5 runs).
func slowSeedC(ctx context.Context, t *testing.T, ti *TorrentInfo, src string) []string {
	t.Helper()
	c, cAddrs := seedingSession(ctx, t, ti, src)
	if ch, _, err := c.FindTorrent(ctx, ti.InfoHash()); err != nil {
		t.Fatal(err)
	} else if err := ch.SetUploadLimit(ctx, 2<<20); err != nil {
		t.Fatal(err)
	}
	return cAddrs
}

// middleB starts our B downloading ti from C at cAddr and returns its
// listen address once it is connected.
func middleB(ctx context.Context, t *testing.T, ti *TorrentInfo, cAddr string) string {
	t.Helper()
	b := newTestSession(t)
	bh, err := b.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := bh.ConnectPeer(ctx, cAddr); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, bh, "B connected to C", func(st TorrentStatus) bool { return st.NumPeers >= 1 })
	bAddrs, err := b.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return bAddrs[0]
}

// Ours in the middle: libtorrent (A) learns of our seed C from our B.
func TestInteropPEXThroughOurs(t *testing.T) {
	needInterop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ti, src, torrent := pexSwarmTorrent(t)
	cAddrs := slowSeedC(ctx, t, ti, src)
	bAddr := middleB(ctx, t, ti, cAddrs[0])
	a, err := interop.StartDownloader(ctx, interop.Options{Torrent: torrent, Save: t.TempDir(), Peers: []string{bAddr}, Timeout: 80 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "A (libtorrent)", a)
	_, cPort, _ := net.SplitHostPort(cAddrs[0])
	for {
		ev, err := a.WaitEvent(ctx, "alert")
		if err != nil {
			t.Fatalf("libtorrent never connected to C (%s), told of it only by our PEX: %v", cAddrs[0], err)
		}
		if ev.Type == "peer_connect" && strings.Contains(ev.Message, ":"+cPort) {
			return
		}
	}
}

// libtorrent in the middle: our A learns of our seed C from libtorrent B.
func TestInteropPEXThroughLibtorrent(t *testing.T) {
	needInterop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ti, src, torrent := pexSwarmTorrent(t)
	_, cAddrs := seedingSession(ctx, t, ti, src)
	b, err := interop.StartDownloader(ctx, interop.Options{Torrent: torrent, Save: t.TempDir(), Peers: cAddrs[:1],
		KeepSeeding: true, DownloadLimit: 1 << 20, Timeout: 80 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "B (libtorrent)", b)
	a := pexSession(t)
	ah, err := a.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := ah.ConnectPeer(ctx, b.Addr()); err != nil {
		t.Fatal(err)
	}
	waitConnectTo(ctx, t, a, cAddrs[0])
}

// All ours: A learns of C through B, and the download finishes.
func TestPEXThroughOurs(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ti, src, _ := pexSwarmTorrent(t)
	cAddrs := slowSeedC(ctx, t, ti, src)
	bAddr := middleB(ctx, t, ti, cAddrs[0])
	a := pexSession(t)
	ah, err := a.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := ah.ConnectPeer(ctx, bAddr); err != nil {
		t.Fatal(err)
	}
	waitPEXConnection(ctx, t, a, ah)
	waitFor(ctx, t, ah, "A finished", func(st TorrentStatus) bool { return st.IsFinished })
}

// waitPEXConnection waits until A is connected to a peer it learnt of
// through PEX: C. B also tells C of A, and C may connect to A before A
// connects to C; A then knows that connection is C by the listen port C
// gave (peerlist.ListenPort), and opens no second one. A's own address,
// which B tells it of too, does not count.
func waitPEXConnection(ctx context.Context, t *testing.T, a *Session, ah TorrentHandle) {
	t.Helper()
	own, err := a.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for {
		peers, err := ah.GetPeerInfo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range peers {
			if p.Source&PeerSourcePEX != 0 && !slices.Contains(own, p.IP) {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("A never connected to a peer learnt through PEX: %+v", peers)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
