package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// utpOnly is testSettings with TCP off both ways and uTP on.
func utpOnly() SettingsPack {
	p := testSettings()
	p.SetBool(EnableOutgoingUTP, true)
	p.SetBool(EnableIncomingUTP, true)
	p.SetBool(EnableOutgoingTCP, false)
	p.SetBool(EnableIncomingTCP, false)
	return p
}

// slowUpload holds s's torrent ti to 1 MiB/s up: a download from it lasts
// a few seconds, long enough to look at the connection.
func slowUpload(ctx context.Context, t *testing.T, s *Session, ti *TorrentInfo) {
	t.Helper()
	h, ok, err := s.FindTorrent(ctx, ti.InfoHash())
	if err != nil || !ok {
		t.Fatalf("find torrent: %v %v", ok, err)
	}
	if err := h.SetUploadLimit(ctx, 1<<20); err != nil {
		t.Fatal(err)
	}
}

// utpSeed seeds a multi-file payload from a session with settings.
func utpSeed(ctx context.Context, t *testing.T, p SettingsPack) (*TorrentInfo, string, *Session) {
	t.Helper()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"u/a.bin": 2*1024*1024 + 777, "u/b/c.bin": 300 * 1024, "u/empty": 0}, 11)
	ti, err := CreateTorrent(filepath.Join(src, "u"), CreateTorrentOptions{PieceSize: 64 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSessionWith(t, p)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	return ti, src, s
}

// Two sessions with TCP off both ways: the download goes over uTP, the
// peer says utp_socket, the seed's incoming connection is uTP's socket
// type (4), no TCP connection is made, and the uTP status and metrics
// count the traffic.
func TestUTPOnlyBetweenSessions(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ti, src, seeder := utpSeed(ctx, t, utpOnly())
	slowUpload(ctx, t, seeder, ti)
	seen, err := seeder.Subscribe(ctx, CategoryAll)
	if err != nil {
		t.Fatal(err)
	}
	leecher := newTestSessionWith(t, utpOnly())
	dst := t.TempDir()
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := lh.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	pi := waitPeerInfo(ctx, t, lh, "over uTP", func(pi PeerInfo) bool { return pi.Flags&PeerUTPSocket != 0 })
	if pi.Flags&PeerOutgoingConnection == 0 {
		t.Errorf("flags %#x: the leecher's connection is not outgoing", pi.Flags)
	}
	// The seed uploads at 1 MiB/s: the connection lasts a few seconds.
	if st, err := leecher.Status(ctx); err != nil || st.UTPStats.NumConnected == 0 {
		t.Errorf("while connected: utp_status %+v, %v", st.UTPStats, err)
	}
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(filepath.Join(src, "u"), filepath.Join(dst, "u")); err != nil {
		t.Fatal(err)
	}
	var utpIn, tcpIn int
	for done := false; !done; {
		select {
		case a := <-seen:
			if ic, ok := a.(IncomingConnectionAlert); ok {
				switch ic.SocketType {
				case 4:
					utpIn++
				default:
					tcpIn++
				}
			}
		default:
			done = true
		}
	}
	if utpIn == 0 || tcpIn != 0 {
		t.Errorf("incoming connections at the seed: %d uTP, %d other", utpIn, tcpIn)
	}
	st, err := leecher.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.UTPStats.PacketsIn == 0 || st.UTPStats.PayloadPktsIn == 0 || st.UTPStats.PacketsOut == 0 {
		t.Errorf("the leecher's utp_status %+v", st.UTPStats)
	}
	values, err := leecher.SessionStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	metric := func(name string) int64 {
		i := FindMetricIdx(name)
		if i < 0 {
			t.Fatalf("metric %s absent", name)
		}
		return values[i]
	}
	if metric("utp.utp_payload_pkts_in") == 0 || metric("utp.utp_packets_out") == 0 || metric("peer.num_tcp_peers") != 0 {
		t.Errorf("metrics: payload packets in %d, packets out %d, tcp peers %d",
			metric("utp.utp_payload_pkts_in"), metric("utp.utp_packets_out"), metric("peer.num_tcp_peers"))
	}
}

// A seed that refuses uTP (enable_incoming_utp off) answers the SYN with
// a RESET: the leecher, uTP first by default, goes on over TCP at once
// (libtorrent's fast reconnect) and the download completes over TCP.
func TestUTPRefusedFallsBackToTCP(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sp := testSettings()
	sp.SetBool(EnableIncomingUTP, false)
	ti, src, seeder := utpSeed(ctx, t, sp)
	slowUpload(ctx, t, seeder, ti)
	lp := testSettings()
	lp.SetBool(EnableOutgoingUTP, true)
	leecher := newTestSessionWith(t, lp)
	dst := t.TempDir()
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := lh.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	pi := waitPeerInfo(ctx, t, lh, "connected", func(pi PeerInfo) bool { return pi.Flags&(PeerConnecting|PeerHandshake) == 0 })
	if pi.Flags&PeerUTPSocket != 0 {
		t.Fatalf("flags %#x: connected over uTP to a seed that refuses it", pi.Flags)
	}
	t.Logf("connected over TCP %v after the first attempt", time.Since(start))
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(filepath.Join(src, "u"), filepath.Join(dst, "u")); err != nil {
		t.Fatal(err)
	}
}

// listen_interfaces applied at runtime closes the uTP socket with its TCP
// listener and opens a new pair: a uTP-only peer then gets in at the new
// address, and the old one answers no more.
func TestUTPRelisten(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ti, src, seeder := utpSeed(ctx, t, utpOnly())
	slowUpload(ctx, t, seeder, ti)
	before, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var p SettingsPack
	p.SetStr(ListenInterfaces, "127.0.0.2:0")
	if err := seeder.ApplySettings(ctx, p); err != nil {
		t.Fatal(err)
	}
	after, err := seeder.ListenAddrs(ctx)
	if err != nil || len(after) != 1 {
		t.Fatal(after, err)
	}
	lp := utpOnly()
	lp.SetInt(PeerConnectTimeout, 2) // the old address answers nothing: give up on it soon
	lp.SetInt(UTPConnectTimeout, 500)
	leecher := newTestSessionWith(t, lp)
	dst := t.TempDir()
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{before[0], after[0]} {
		if err := lh.ConnectPeer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	pi := waitPeerInfo(ctx, t, lh, "over uTP", func(pi PeerInfo) bool {
		return pi.Flags&PeerUTPSocket != 0 && pi.Flags&(PeerConnecting|PeerHandshake) == 0
	})
	if pi.IP != after[0] {
		t.Fatalf("connected to %s, the new address is %s", pi.IP, after[0])
	}
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(filepath.Join(src, "u"), filepath.Join(dst, "u")); err != nil {
		t.Fatal(err)
	}
}

// enable_incoming_utp applied at runtime: off, the seed's socket refuses
// a uTP-only peer's SYN and the attempt ends without a connection; on
// again, the peer gets in and downloads.
func TestUTPIncomingToggledLive(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ti, src, seeder := utpSeed(ctx, t, utpOnly())
	addrs, err := seeder.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	toggle := func(on bool) {
		var p SettingsPack
		p.SetBool(EnableIncomingUTP, on)
		if err := seeder.ApplySettings(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	toggle(false)
	leecher := newTestSessionWith(t, utpOnly())
	dst := t.TempDir()
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	if err := lh.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	ended := FindMetricIdx("peer.disconnected_peers")
	for {
		values, err := leecher.SessionStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if values[ended] > 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the refused uTP attempt never ended")
		case <-time.After(20 * time.Millisecond):
		}
	}
	if st, _ := lh.Status(ctx); st.NumPeers != 0 || st.TotalPayloadDownload != 0 {
		t.Fatalf("with incoming uTP off: %d peers, %d bytes", st.NumPeers, st.TotalPayloadDownload)
	}
	toggle(true)
	if err := lh.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(filepath.Join(src, "u"), filepath.Join(dst, "u")); err != nil {
		t.Fatal(err)
	}
}
