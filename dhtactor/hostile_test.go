package dhtactor

import (
	"math/rand"
	"net"
	"testing"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"go.uber.org/zap"
)

// hostilePackets are what a node answering with garbage, or flooding us,
// sends: not bencode, bencode that is not a dict, KRPC with wrong types
// and sizes, queries with made-up tokens, replies to nothing.
func hostilePackets(rnd *rand.Rand) [][]byte {
	junk := make([]byte, 1400)
	rnd.Read(junk)
	return [][]byte{
		junk,
		[]byte("d"),
		[]byte("i42e"),
		[]byte("l1:a1:be"),
		[]byte("d1:t2:aa1:y1:qe"),
		[]byte("d1:ad2:id3:abce1:q9:get_peers1:t2:aa1:y1:qe"),
		[]byte("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa9:info_hash3:xyze1:q9:get_peers1:t2:aa1:y1:qe"),
		[]byte("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa9:info_hash20:bbbbbbbbbbbbbbbbbbbb4:porti6881e5:token3:bade1:q13:announce_peer1:t2:aa1:y1:qe"),
		[]byte("d1:rd2:id20:cccccccccccccccccccc5:nodes7:garbage6:valuesli1eee1:t2:zz1:y1:re"),
		[]byte("d1:eli201e3:xxxe1:t2:zz1:y1:ee"),
		[]byte("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa6:target20:bbbbbbbbbbbbbbbbbbbb4:wantl2:n42:n6ee1:q9:find_node1:t2:aa1:y1:qe"),
	}
}

// A node flooded with garbage, bad tokens and stray replies keeps working:
// it does not fail (the library's read loop never sees an error), it does
// not store an announce with a made-up token, and a lookup through it
// still finds what another node announced.
func TestHostileTrafficIsSurvived(t *testing.T) {
	sys := actors.NewSystem(zap.NewNop())
	sup, err := supervisor.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	alerts, ap := spawnSink(t, sys)
	router := startNode(t, sys, "127.0.0.1", alerts, sup)
	attacker, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer attacker.Close()
	to, err := net.ResolveUDPAddr("udp4", router.addr)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewSource(1))
	for range 300 {
		for _, p := range hostilePackets(rnd) {
			if _, err := attacker.WriteTo(p, to); err != nil {
				t.Fatal(err)
			}
		}
	}
	seeder := startNode(t, sys, "127.0.0.1", alerts, sup, router.addr)
	leecher := startNode(t, sys, "127.0.0.1", alerts, sup, router.addr)
	ih := messages.InfoHash{0xbe, 0xef}
	seedTorrent, _ := spawnSink(t, sys)
	leechTorrent, leechProbe := spawnSink(t, sys)
	sys.Root.Send(seeder.pid, &messages.DHTTorrentWanted{InfoHash: ih, Torrent: seedTorrent, Want: true})
	ctx := waitCtx(t)
	if _, err := ap.Wait(ctx, 1, func(m any) bool {
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
	if _, err := leechProbe.Wait(ctx, 1, isPeersOf(ih)); err != nil {
		t.Fatalf("the leecher's lookup found no peer: %v", err)
	}
	router.probe.mu.Lock()
	dropped := router.probe.conn.dropped.Load()
	router.probe.mu.Unlock()
	if dropped == 0 { // UDP on loopback loses some of a burst: not all 300*8
		t.Errorf("no garbage dropped before the library")
	}
	if st := sup.Status().Kinds[supervisor.KindDHT]; st.Failures != 0 {
		t.Errorf("a node failed: %+v", st)
	}
	for _, m := range ap.Messages() {
		if p, ok := m.(*messages.PostAlert); ok {
			if a, ok := p.Alert.(*messages.DHTAnnounceAlert); ok && a.InfoHash == (messages.InfoHash{'b', 'b', 'b'}) {
				t.Errorf("an announce with a made-up token was taken: %+v", a)
			}
		}
	}
}

// FuzzIsKRPC: the filter in front of the library never panics, and lets
// through only what could be a KRPC dict.
func FuzzIsKRPC(f *testing.F) {
	for _, p := range hostilePackets(rand.New(rand.NewSource(2))) {
		f.Add(p)
	}
	f.Add([]byte("d1:rd2:id20:cccccccccccccccccccce1:t2:zz1:y1:re"))
	f.Fuzz(func(t *testing.T, p []byte) {
		if isKRPC(p) && p[0] != 'd' {
			t.Fatalf("%q let through", p)
		}
	})
}
