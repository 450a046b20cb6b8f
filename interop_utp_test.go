package actorrent

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// libtorrent 2.0's socket_type_t for uTP (its alerts' socket_type; 1.0's,
// ours, says 4).
const ltSocketTypeUTP = 3

// TestInteropUTP: with TCP off on both sides (enable_*_tcp false), a
// libtorrent 2.0.8 seed uploads to us and we upload to a libtorrent
// downloader over uTP alone, single- and multi-file, byte-identical; both
// sides see the connection as uTP.
func TestInteropUTP(t *testing.T) {
	needInterop(t)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second) // the fixtures
	defer cancel()
	dir := t.TempDir()
	for i, l := range interopLayouts {
		it := interopTorrent{layout: l, src: filepath.Join(dir, "src-"+l.name), pieceSize: 64 << 10, creator: "ours",
			path: filepath.Join(dir, l.name+".torrent")}
		if err := interop.MakePayload(it.src, l.files, int64(300+i)); err != nil {
			t.Fatal(err)
		}
		if err := it.create(ctx); err != nil {
			t.Fatal(err)
		}
		// Parallel subtests run once this function returned: each has a
		// deadline of its own.
		run := func(f func(context.Context, *testing.T, interopTorrent)) func(*testing.T) {
			return func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
				defer cancel()
				f(ctx, t, it)
			}
		}
		t.Run(l.name+"/libtorrent_seeds", run(utpFromLibtorrent))
		t.Run(l.name+"/libtorrent_downloads", run(utpToLibtorrent))
	}
}

// utpFromLibtorrent: a uTP-only libtorrent seed (held to 4 MiB/s, so that
// the connection is seen while it lasts) and a uTP-only session of ours.
func utpFromLibtorrent(ctx context.Context, t *testing.T, it interopTorrent) {
	seeder := libtorrentSeeding(ctx, t, interop.Options{Torrent: it.path, Save: it.src, UTPOnly: true, UploadLimit: 4 << 20})
	s := newTestSessionWith(t, utpOnly())
	dst := t.TempDir()
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: it.ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, seeder.Addr()); err != nil {
		t.Fatal(err)
	}
	pi := waitPeerInfo(ctx, t, h, "connected to the seed", func(pi PeerInfo) bool {
		return pi.IP == seeder.Addr() && pi.Flags&(PeerConnecting|PeerHandshake) == 0
	})
	if pi.Flags&PeerUTPSocket == 0 {
		t.Errorf("flags %#x: the connection to a uTP-only seed is not uTP", pi.Flags)
	}
	waitFor(ctx, t, h, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, it.src, dst)
	seen, all := alertCounts(ctx, t, s)
	checkHealthyAlerts(t, seen, all, "peer_connect", "torrent_finished")
	checkLibtorrentEvents(t, seeder)
	checkLibtorrentUTP(t, seeder, true)
	values, err := s.SessionStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if in := values[FindMetricIdx("utp.utp_payload_pkts_in")]; in < it.ti.TotalSize()/1472 {
		t.Errorf("%d uTP payload packets in for %d bytes", in, it.ti.TotalSize())
	}
}

// utpToLibtorrent: a uTP-only session of ours seeds to a uTP-only
// libtorrent downloader, which connects to us.
func utpToLibtorrent(ctx context.Context, t *testing.T, it interopTorrent) {
	s := newTestSessionWith(t, utpOnly())
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: it.ti, SavePath: it.src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	dl, err := interop.StartDownloader(ctx, interop.Options{Torrent: it.path, Save: dst, Peers: addrs[:1],
		UTPOnly: true, Timeout: 60 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	stopPeerAtEnd(t, "downloader", dl)
	if _, err := dl.WaitFinished(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-dl.Exited():
	case <-ctx.Done():
		t.Fatal("libtorrent downloader did not exit after finishing")
	}
	checkSameTree(t, it.src, dst)
	checkLibtorrentEvents(t, dl)
	checkLibtorrentUTP(t, dl, false)
	seen, all := alertCounts(ctx, t, s)
	checkHealthyAlerts(t, seen, all, "peer_connect")
	var utpIn int
	for _, a := range all {
		if ic, ok := a.(IncomingConnectionAlert); ok {
			if ic.SocketType != 4 {
				t.Errorf("incoming connection of socket type %d (TCP is off)", ic.SocketType)
			}
			utpIn++
		}
	}
	if utpIn == 0 {
		t.Error("no incoming uTP connection")
	}
	st := waitTotals(ctx, t, h, func(s TorrentStatus) bool { return s.TotalPayloadUpload >= it.ti.TotalSize() })
	if st.TotalPayloadUpload < it.ti.TotalSize() {
		t.Errorf("uploaded %d payload bytes of %d", st.TotalPayloadUpload, it.ti.TotalSize())
	}
}

// checkLibtorrentUTP: the libtorrent peer had its connection over uTP and
// never one over TCP: its progress lines (every half second) count no TCP
// peer, and every alert with a socket type (incoming_connection,
// peer_disconnected) says uTP; incoming: it accepted the connection.
func checkLibtorrentUTP(t *testing.T, p *interop.Libtorrent, incoming bool) {
	t.Helper()
	sawUTP, sawIncoming := false, false
	for _, ev := range p.Events() {
		switch ev.Event {
		case "progress":
			tcp, _ := ev.Raw["tcp_peers"].(float64)
			utp, _ := ev.Raw["utp_peers"].(float64)
			if tcp != 0 {
				t.Errorf("libtorrent had %v TCP peers", tcp)
			}
			sawUTP = sawUTP || utp > 0
		case "alert":
			st, ok := ev.Raw["socket_type"].(float64)
			if !ok {
				continue
			}
			if st != ltSocketTypeUTP {
				t.Errorf("libtorrent's %s has socket type %v: %s", ev.Type, st, ev.Message)
			}
			sawUTP = true
			sawIncoming = sawIncoming || ev.Type == "incoming_connection"
		}
	}
	if !sawUTP {
		t.Error(fmt.Sprintf("libtorrent never reported a uTP peer: %d events", len(p.Events())))
	}
	if incoming && !sawIncoming {
		t.Error("libtorrent reported no incoming uTP connection")
	}
}
