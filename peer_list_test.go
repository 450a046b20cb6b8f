package actorrent

import (
	"context"
	"net/netip"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/resume"
)

// The peer list survives resume data: the peers and banned peers it
// records come back on load, the banned one is never connected to (not
// even when asked), and both are saved again.
func TestResumeDataPeersAndBannedPeers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ti, src, s, h := seededPair(t, ctx)
	rd, _, err := saveResume(ctx, t, s, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := resume.Decode(rd)
	if err != nil {
		t.Fatal(err)
	}
	// Port 1 on loopback refuses: the peer fails once and stays listed.
	known, banned := netip.MustParseAddrPort("127.0.0.1:1"), netip.MustParseAddrPort("127.0.0.2:7")
	d.Peers, d.BannedPeers = []netip.AddrPort{known}, []netip.AddrPort{banned}
	if rd, err = d.Encode(); err != nil {
		t.Fatal(err)
	}
	st, _, s2, h2 := addWithResume(ctx, t, ti, src, rd)
	if st.ListPeers != 1 {
		t.Fatalf("list_peers = %d, want 1 (the banned peer does not count)", st.ListPeers)
	}
	// The session counts it too, from the torrent's next per-second report.
	for {
		ss, err := s2.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ss.PeerlistSize == 1 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("session peerlist_size = %d, want 1", ss.PeerlistSize)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := h2.ConnectPeer(ctx, banned.String()); err != nil {
		t.Fatal(err)
	}
	if st := waitFor(ctx, t, h2, "status", func(TorrentStatus) bool { return true }); st.ListPeers != 1 {
		t.Fatalf("list_peers = %d after connecting a banned peer, want 1", st.ListPeers)
	}
	rd2, alerts, err := saveResume(ctx, t, s2, h2, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if pc, ok := a.(PeerConnectAlert); ok && pc.Endpoint == banned.String() {
			t.Fatalf("connected to the banned peer: %+v", pc)
		}
	}
	d2, err := resume.Decode(rd2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d2.Peers, []netip.AddrPort{known}) || !slices.Equal(d2.BannedPeers, []netip.AddrPort{banned}) {
		t.Fatalf("saved peers %v banned %v, want [%v] and [%v]", d2.Peers, d2.BannedPeers, known, banned)
	}
}

// connections_limit bounds the session's connections, all torrents
// together (as in libtorrent): with a limit of one, two torrents download
// one after the other, the second once the first's connection is gone.
func TestConnectionsLimitIsSessionWide(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	src, tis, seeds := twoSeededTorrents(ctx, t)
	s := oneConnectionSession(t)
	dst := t.TempDir()
	var hs []TorrentHandle
	for i, ti := range tis {
		h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(ctx, t, h, "downloading", func(s TorrentStatus) bool { return s.State == Downloading })
		if err := h.ConnectPeer(ctx, seeds[i]); err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	for {
		conns, finished := 0, 0
		for _, h := range hs {
			st, err := h.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns += st.NumConnections
			if st.IsFinished {
				finished++
			}
		}
		if conns > 1 {
			t.Fatalf("%d connections with connections_limit 1", conns)
		}
		if finished == len(hs) {
			break
		}
		select {
		case <-ctx.Done():
			for _, h := range hs {
				st, _ := h.Status(context.Background())
				t.Logf("%s: state %v conns %d peers %d seeds %d list %d", st.Name, st.State, st.NumConnections, st.NumPeers, st.NumSeeds, st.ListPeers)
			}
			for _, h := range hs {
				st, _ := h.Status(context.Background())
				t.Logf("%s: state %v conns %d peers %d seeds %d list %d", st.Name, st.State, st.NumConnections, st.NumPeers, st.NumSeeds, st.ListPeers)
			}
			t.Fatalf("only %d of %d torrents finished", finished, len(hs))
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := sameTree(src, dst); err != nil {
		t.Fatal(err)
	}
}

// twoSeededTorrents makes two small torrents in src, each seeded by a
// session of its own, and returns them with their seeders' addresses.
func twoSeededTorrents(ctx context.Context, t *testing.T) (string, []*TorrentInfo, []string) {
	t.Helper()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"a/x.bin": 600 << 10, "b/y.bin": 700 << 10}, 5)
	var tis []*TorrentInfo
	var seeds []string
	for _, name := range []string{"a", "b"} {
		ti, err := CreateTorrent(filepath.Join(src, name), CreateTorrentOptions{PieceSize: 32 << 10})
		if err != nil {
			t.Fatal(err)
		}
		_, addrs := seedingSession(ctx, t, ti, src)
		tis, seeds = append(tis, ti), append(seeds, addrs[0])
	}
	return src, tis, seeds
}

// oneConnectionSession is a test session with connections_limit 1.
func oneConnectionSession(t *testing.T) *Session {
	settings := testSettings()
	settings.SetInt(ConnectionsLimit, 1)
	return newTestSessionWith(t, settings)
}

// A removed torrent gives its connections back: with connections_limit 1,
// a torrent added after removing one that was connected still connects.
func TestConnectionsLimitSlotsComeBackOnRemove(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	_, tis, seeds := twoSeededTorrents(ctx, t)
	s := oneConnectionSession(t)
	// In upload mode it asks for nothing: the connection stays open.
	first, err := s.AddTorrent(ctx, AddTorrentParams{TI: tis[0], SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.SetUploadMode(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := first.ConnectPeer(ctx, seeds[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, first, "connected", func(s TorrentStatus) bool { return s.NumPeers == 1 })
	if err := s.RemoveTorrent(ctx, first, 0); err != nil {
		t.Fatal(err)
	}
	second, err := s.AddTorrent(ctx, AddTorrentParams{TI: tis[1], SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := second.ConnectPeer(ctx, seeds[1]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, second, "finished", func(s TorrentStatus) bool { return s.IsFinished })
}
