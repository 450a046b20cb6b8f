package actorrent

import (
	"context"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
	"github.com/actorrent/actorrent/internal/resume"
)

// A libtorrent peer that connects to us gives its listen port ("p" in its
// extension handshake): our peer list keeps it there once the connection
// ends, so we can connect to it again and resume data lists it, as
// libtorrent's update_peer_port does. Before, an incoming peer was
// forgotten with its connection's ephemeral port.
func TestInteropIncomingPeerListenPortKept(t *testing.T) {
	needInterop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ti, src, torrent := pexSwarmTorrent(t)
	s, addrs := seedingSession(ctx, t, ti, src)
	h := seederHandle(ctx, t, s)
	lt, err := interop.StartDownloader(ctx, interop.Options{Torrent: torrent, Save: t.TempDir(), Peers: addrs[:1], KeepSeeding: true, Timeout: 50 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "libtorrent", lt)
	if _, err := lt.WaitFinished(ctx); err != nil {
		t.Fatal(err)
	}
	// Two seeds part: wait until libtorrent's connection is gone.
	waitFor(ctx, t, h, "the finished peer gone", func(st TorrentStatus) bool { return st.NumPeers == 0 })
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := resume.Decode(rd)
	if err != nil {
		t.Fatal(err)
	}
	want := netip.MustParseAddrPort(lt.Addr())
	if !slices.Contains(d.Peers, want) {
		t.Fatalf("resume data peers %v lack libtorrent's listen address %s", d.Peers, want)
	}
}
