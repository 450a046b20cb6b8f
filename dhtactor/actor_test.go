package dhtactor

import (
	"net"
	"net/netip"
	"strconv"
	"testing"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"go.uber.org/zap"
)

// Three nodes on loopback: the first is the others' router. A torrent
// that one node announces is found by another's lookup, with the
// announcing node's address and the port it announced.
func TestLookupFindsWhatAnotherNodeAnnounced(t *testing.T) {
	sys := actors.NewSystem(zap.NewNop())
	alerts, alertProbe := spawnSink(t, sys)
	router := startNode(t, sys, "127.0.0.1", alerts, nil)
	seeder := startNode(t, sys, "127.0.0.1", alerts, nil, router.addr)
	leecher := startNode(t, sys, "127.0.0.1", alerts, nil, router.addr)
	ih := messages.InfoHash{0xde, 0xad}
	seedTorrent, _ := spawnSink(t, sys)
	leechTorrent, leechProbe := spawnSink(t, sys)
	sys.Root.Send(seeder.pid, &messages.DHTTorrentWanted{InfoHash: ih, Torrent: seedTorrent, Want: true})
	ctx := waitCtx(t)
	// The seeder's announce reached someone before the leecher asks.
	if _, err := alertProbe.Wait(ctx, 1, func(m any) bool {
		p, ok := m.(*messages.PostAlert)
		if !ok {
			return false
		}
		a, isAnn := p.Alert.(*messages.DHTAnnounceAlert)
		return isAnn && a.InfoHash == ih
	}); err != nil {
		t.Fatalf("no node got the seeder's announce: %v", err)
	}
	sys.Root.Send(leecher.pid, &messages.DHTTorrentWanted{InfoHash: ih, Torrent: leechTorrent, Want: true})
	got, err := leechProbe.Wait(ctx, 1, isPeersOf(ih))
	if err != nil {
		t.Fatalf("the leecher's lookup found no peer: %v", err)
	}
	_, port, _ := net.SplitHostPort(seeder.addr)
	p, _ := strconv.Atoi(port)
	want := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(p))
	if peers := got[0].(*messages.DHTPeers).Peers; len(peers) != 1 || peers[0] != want {
		t.Fatalf("peers = %v, want [%v] (implied port: the node's socket)", peers, want)
	}
	if st := leecher.probe.Status(leecher.probe.at); st.Nodes == 0 {
		t.Errorf("the leecher's status has no node: %+v", st)
	}
}
