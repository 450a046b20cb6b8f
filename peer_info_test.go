package actorrent

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/interop"
)

// waitPeerInfo polls GetPeerInfo until cond holds for one peer.
func waitPeerInfo(ctx context.Context, t *testing.T, h TorrentHandle, what string, cond func(PeerInfo) bool) PeerInfo {
	t.Helper()
	for {
		pis, err := h.GetPeerInfo(ctx)
		if err != nil {
			t.Fatalf("GetPeerInfo: %v", err)
		}
		for _, pi := range pis {
			if cond(pi) {
				return pi
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no peer %s: %+v", what, pis)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// While downloading from a libtorrent seed held to 1 MiB/s, GetPeerInfo
// shows it as libtorrent would (a seed we connected to, interesting, its
// client, our requests queued at it, bytes come) and GetDownloadQueue the
// pieces in flight with blocks requested of it; the seed, ours, sees us
// as an incoming, interested peer.
func TestInteropPeerInfoAndDownloadQueue(t *testing.T) {
	needInterop(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ti, src, torrent := pexSwarmTorrent(t)
	seeder := libtorrentSeeding(ctx, t, interop.Options{Torrent: torrent, Save: src, UploadLimit: 1 << 20})
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: ti, SavePath: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ConnectPeer(ctx, seeder.Addr()); err != nil {
		t.Fatal(err)
	}
	pi := waitPeerInfo(ctx, t, h, "downloading from the seed", func(pi PeerInfo) bool {
		return pi.IP == seeder.Addr() && pi.TotalDownload > 0 && pi.DownloadQueueLength > 0
	})
	want := PeerSeed | PeerOutgoingConnection | PeerInteresting | PeerSupportsExtensions | PeerUploadOnly
	if pi.Flags&want != want || pi.Flags&(PeerConnecting|PeerHandshake) != 0 {
		t.Errorf("flags %#x, want %#x set and no connecting/handshake", pi.Flags, want)
	}
	if !strings.Contains(pi.Client, "libtorrent") || pi.Progress != 1 || pi.NumPieces != ti.NumPieces() ||
		pi.Pieces.Count() != ti.NumPieces() || pi.LocalEndpoint == "" || pi.RequestTimeout <= 0 {
		t.Errorf("peer info %+v", pi)
	}
	q, err := h.GetDownloadQueue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	requested := 0
	for _, pp := range q {
		if pp.BlocksInPiece != len(pp.Blocks) || pp.PieceIndex < 0 || pp.PieceIndex >= ti.NumPieces() {
			t.Fatalf("partial piece %+v", pp)
		}
		for _, b := range pp.Blocks {
			if b.State == BlockRequested && b.Peer == seeder.Addr() {
				requested++
			}
		}
	}
	if requested == 0 {
		t.Fatalf("no block requested of the seed in %d pieces in flight", len(q))
	}
}

// Between our sessions: the seed sees the downloader as incoming and
// interested, with our client's name.
func TestPeerInfoOnTheSeed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ti, src, _ := pexSwarmTorrent(t)
	seed, addrs := seedingSession(ctx, t, ti, src)
	sh, _, err := seed.FindTorrent(ctx, ti.InfoHash())
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.SetUploadLimit(ctx, 1<<20); err != nil {
		t.Fatal(err)
	}
	_, dh, _ := downloadingSession(ctx, t, ti, t.TempDir())
	if err := dh.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	pi := waitPeerInfo(ctx, t, sh, "downloading from us", func(pi PeerInfo) bool {
		return pi.Flags&PeerRemoteInterested != 0 && pi.TotalUpload > 0
	})
	if pi.Source&PeerSourceIncoming == 0 || pi.Flags&PeerOutgoingConnection != 0 || !strings.HasPrefix(pi.Client, "actorrent/") {
		t.Errorf("seed's view of the downloader: source %#x flags %#x client %q", pi.Source, pi.Flags, pi.Client)
	}
}
