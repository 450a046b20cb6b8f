package actorrent

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestSessionStatsDuringDownload: the counters of a download between two
// sessions say what happened, on both sides.
func TestSessionStatsDuringDownload(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	src, dst := t.TempDir(), t.TempDir()
	const size = 3<<20 + 12345
	writePayload(t, src, map[string]int64{"f.bin": size}, 7)
	ti, err := CreateTorrent(filepath.Join(src, "f.bin"), CreateTorrentOptions{PieceSize: 256 << 10})
	if err != nil {
		t.Fatal(err)
	}
	seeder, addrs := seedingSession(ctx, t, ti, src)
	leecher, h, _ := downloadingSession(ctx, t, ti, dst)
	if err := h.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })

	get := func(s *Session) func(string) int64 {
		v, err := s.SessionStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return func(name string) int64 {
			i := FindMetricIdx(name)
			if i < 0 {
				t.Fatalf("%s is not filled", name)
			}
			return v[i]
		}
	}
	l, s := get(leecher), get(seeder)
	pieces := int64((size + 256<<10 - 1) / (256 << 10))
	blocks := int64((size + 16<<10 - 1) / (16 << 10))
	exact := []struct {
		name string
		got  int64
		want int64
	}{
		{"leecher net.recv_payload_bytes", l("net.recv_payload_bytes"), size},
		{"seeder net.sent_payload_bytes", s("net.sent_payload_bytes"), size},
		{"leecher ses.num_piece_passed", l("ses.num_piece_passed"), pieces},
		{"leecher ses.num_have_pieces", l("ses.num_have_pieces"), pieces},
		{"leecher ses.num_incoming_piece", l("ses.num_incoming_piece"), blocks},
		{"seeder ses.num_outgoing_piece", s("ses.num_outgoing_piece"), blocks},
		{"seeder peer.piece_requests", s("peer.piece_requests"), blocks},
		{"leecher ses.num_outgoing_request", l("ses.num_outgoing_request"), blocks},
		{"seeder ses.num_incoming_request", s("ses.num_incoming_request"), blocks},
		{"leecher peer.connection_attempts", l("peer.connection_attempts"), 1},
		{"seeder peer.incoming_connections", s("peer.incoming_connections"), 1},
		{"leecher ses.num_outgoing_interested", l("ses.num_outgoing_interested"), 1},
		{"seeder ses.num_incoming_interested", s("ses.num_incoming_interested"), 1},
		{"seeder ses.num_outgoing_unchoke", s("ses.num_outgoing_unchoke"), 1},
		{"leecher ses.num_incoming_unchoke", l("ses.num_incoming_unchoke"), 1},
		// both speak the fast extension: a seed opens with have_all, a
		// leecher with nothing with have_none, and no bitfield goes out
		{"seeder ses.num_outgoing_have_all", s("ses.num_outgoing_have_all"), 1},
		{"leecher ses.num_incoming_have_all", l("ses.num_incoming_have_all"), 1},
		{"leecher ses.num_outgoing_have_none", l("ses.num_outgoing_have_none"), 1},
		{"seeder ses.num_incoming_have_none", s("ses.num_incoming_have_none"), 1},
		{"seeder ses.num_outgoing_bitfield", s("ses.num_outgoing_bitfield"), 0},
		{"seeder ses.num_outgoing_reject", s("ses.num_outgoing_reject"), 0},
		{"seeder ses.num_seeding_torrents", s("ses.num_seeding_torrents"), 1},
		{"leecher ses.num_seeding_torrents", l("ses.num_seeding_torrents"), 1},
		{"leecher ses.num_downloading_torrents", l("ses.num_downloading_torrents"), 0},
		{"leecher peer.num_peers_connected", l("peer.num_peers_connected"), 1},
		{"seeder peer.num_tcp_peers", s("peer.num_tcp_peers"), 1},
		{"leecher peer.num_peers_half_open", l("peer.num_peers_half_open"), 0},
		// gauges kept with inc/dec agree with the messages that moved them
		{"seeder peer.num_peers_up_unchoked_all", s("peer.num_peers_up_unchoked_all"),
			s("ses.num_outgoing_unchoke") - s("ses.num_outgoing_choke")},
		{"seeder peer.num_peers_up_interested", s("peer.num_peers_up_interested"),
			s("ses.num_incoming_interested") - s("ses.num_incoming_not_interested")},
		{"leecher peer.num_peers_down_interested", l("peer.num_peers_down_interested"),
			l("ses.num_outgoing_interested") - l("ses.num_outgoing_not_interested")},
		{"leecher peer.num_peers_down_unchoked", l("peer.num_peers_down_unchoked"),
			l("ses.num_incoming_unchoke") - l("ses.num_incoming_choke")},
		{"leecher net.recv_failed_bytes", l("net.recv_failed_bytes"), 0},
		{"leecher disk.queued_write_bytes (all written)", l("disk.queued_write_bytes"), 0},
		{"leecher ses.num_piece_failed", l("ses.num_piece_failed"), 0},
		{"leecher peer.disconnected_peers", l("peer.disconnected_peers"), 0},
		{"leecher net.has_incoming_connections (loopback is local)", s("net.has_incoming_connections"), 0},
		{"seeder ses.num_incoming_ext_handshake", s("ses.num_incoming_ext_handshake"), 1},
		{"leecher ses.num_outgoing_ext_handshake", l("ses.num_outgoing_ext_handshake"), 1},
	}
	for _, e := range exact {
		if e.got != e.want {
			t.Errorf("%s = %d, want %d", e.name, e.got, e.want)
		}
	}
	// The byte totals hold the payload, every message's framing and the
	// handshakes; the IP overhead is at least a header per 1460 bytes.
	if got := l("net.recv_bytes"); got < size+blocks*13+68 {
		t.Errorf("leecher net.recv_bytes = %d, want >= payload and framing %d", got, size+blocks*13+68)
	}
	if got, want := l("net.recv_ip_overhead_bytes"), int64(size/1460*40); got < want {
		t.Errorf("leecher net.recv_ip_overhead_bytes = %d, want >= %d", got, want)
	}
	if got := s("net.sent_bytes"); got < size+blocks*13+68 {
		t.Errorf("seeder net.sent_bytes = %d, want >= %d", got, size+blocks*13+68)
	}
	if got := l("disk.num_blocks_written"); got != blocks {
		t.Errorf("leecher disk.num_blocks_written = %d, want %d", got, blocks)
	}
	if got := s("disk.num_blocks_read"); got < blocks {
		t.Errorf("seeder disk.num_blocks_read = %d, want >= %d", got, blocks)
	}
}

// TestSessionStatsGaugesReturnToZero: a removed torrent and its closed
// connections leave every gauge they were in, on both sides.
func TestSessionStatsGaugesReturnToZero(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	src, dst := t.TempDir(), t.TempDir()
	writePayload(t, src, map[string]int64{"f.bin": 1 << 20}, 8)
	ti, err := CreateTorrent(filepath.Join(src, "f.bin"), CreateTorrentOptions{PieceSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	seeder, addrs := seedingSession(ctx, t, ti, src)
	leecher, h, _ := downloadingSession(ctx, t, ti, dst)
	if err := h.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	if err := leecher.RemoveTorrent(ctx, h, 0); err != nil {
		t.Fatal(err)
	}
	gauges := []string{"peer.num_tcp_peers", "peer.num_peers_connected", "peer.num_peers_half_open",
		"peer.num_peers_up_interested", "peer.num_peers_down_interested", "peer.num_peers_up_unchoked_all",
		"peer.num_peers_down_unchoked", "ses.num_seeding_torrents", "ses.num_downloading_torrents",
		"ses.num_checking_torrents"}
	for _, s := range []*Session{leecher, seeder} {
		for {
			v, err := s.SessionStats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var held []string
			for _, g := range gauges {
				if v[FindMetricIdx(g)] != 0 {
					held = append(held, g)
				}
			}
			// the seeder keeps its torrent
			if s == seeder && len(held) == 1 && held[0] == "ses.num_seeding_torrents" {
				break
			}
			if len(held) == 0 {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("gauges still held: %v", held)
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	v, _ := leecher.SessionStats(ctx)
	if d := v[FindMetricIdx("peer.disconnected_peers")]; d != 1 {
		t.Errorf("leecher peer.disconnected_peers = %d, want 1", d)
	}
}
