package actorrent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/peeractor"
)

// metadataLiar is a raw peer that offers ut_metadata and answers every
// request with bytes of the right size that do not hash to the info-hash.
type metadataLiar struct {
	conn net.Conn
	r    *wire.Reader
	info []byte // the lie
	// asked is closed at the first request the liar gets; when release
	// is set, it answers nothing until release is closed.
	asked, release chan struct{}
}

// dialMetadataLiar connects to addr for ih, speaking BEP 10.
func dialMetadataLiar(t *testing.T, addr string, ih InfoHash, info []byte) *metadataLiar {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	hs := wire.Handshake{InfoHash: ih}
	copy(hs.PeerID[:], fmt.Sprintf("-ML0000-%012d", time.Now().UnixNano()%1e12))
	hs.Reserved[wire.ReservedExtensionByte] |= wire.ReservedExtensionBit
	if err := wire.WriteHandshake(c, hs); err != nil {
		t.Fatal(err)
	}
	got, err := wire.ReadHandshake(c)
	if err != nil {
		t.Fatalf("liar: read handshake: %v", err)
	}
	if !got.SupportsExtended() {
		t.Fatal("the session does not set the extension protocol bit")
	}
	// Every ut_metadata piece is wrong, so whichever the liar is asked
	// for spoils the info dictionary it goes into.
	lie := append([]byte(nil), info...)
	for off := 0; off < len(lie); off += metadata.PieceSize {
		lie[off+min(100, len(lie)-off-1)] ^= 0xff
	}
	return &metadataLiar{conn: c, r: wire.NewReader(c), info: lie, asked: make(chan struct{})}
}

// magnetLeecherWithLiar adds ih (no metadata) at dst in a new session and
// connects a metadataLiar to it, lying about info.
func magnetLeecherWithLiar(ctx context.Context, t *testing.T, ih InfoHash, dst string, info []byte) (*Session, TorrentHandle, *metadataLiar) {
	t.Helper()
	leecher := newTestSession(t)
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{InfoHash: ih, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	addrs, err := leecher.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return leecher, lh, dialMetadataLiar(t, addrs[0], ih, info)
}

// serve offers the metadata and answers requests with the lie until the
// connection ends. It reports whether any request came.
func (l *metadataLiar) serve() (asked bool) {
	const ourID = 3
	h := metadata.AppendExtHandshake(nil, metadata.ExtHandshake{
		M: map[string]uint8{metadata.ExtUTMetadata: ourID}, MetadataSize: int64(len(l.info)),
	})
	if _, err := l.conn.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, ExtendedID: 0, Payload: h})); err != nil {
		return false
	}
	srv := metadata.NewServer(l.info)
	for {
		m, err := l.r.ReadMessage()
		if err != nil {
			return asked
		}
		if m.KeepAlive || m.ID != wire.Extended || m.ExtendedID != ourID {
			continue
		}
		req, err := metadata.ParseMessage(m.Payload)
		if err != nil {
			continue
		}
		reply, ok := srv.Answer(req)
		if !ok {
			continue
		}
		if !asked {
			asked = true
			close(l.asked)
			if l.release != nil {
				<-l.release
			}
		}
		p, _ := metadata.AppendMessage(nil, reply)
		if _, err := l.conn.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, ExtendedID: 2, Payload: p})); err != nil {
			return asked
		}
	}
}

// TestHostileMetadataLiarThenHonestPeer: the only peer of a magnet
// torrent sends metadata that does not match the info-hash: metadata_failed
// is posted and the liar is dropped as a peer error. An honest seeder then
// gives the metadata (two ut_metadata pieces) and the download completes.
func TestHostileMetadataLiarThenHonestPeer(t *testing.T) {
	// 1280 pieces of 16 KiB: a 25 KiB info dictionary, two metadata pieces.
	pl := makeHostilePayload(t, 20<<20, 16<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // 12 s under a CPU hog
	defer cancel()
	ih := pl.ti.InfoHash()
	dst := t.TempDir()
	leecher, lh, liar := magnetLeecherWithLiar(ctx, t, ih, dst, pl.ti.m.InfoBytes)
	asked := make(chan bool, 1)
	go func() { asked <- liar.serve() }()

	alerts := &hostileAlerts{s: leecher}
	mf := alerts.wait(ctx, t, "metadata_failed", func(a Alert) bool { _, ok := a.(MetadataFailedAlert); return ok }).(MetadataFailedAlert)
	if !errors.Is(mf.Error, ErrMetadataMismatch) {
		t.Errorf("metadata_failed: %v", mf.Error)
	}
	alerts.peerError(ctx, t, liar.conn.LocalAddr().String(), ErrMetadataMismatch)
	select {
	case a := <-asked:
		if !a {
			t.Error("the liar was never asked for metadata")
		}
	case <-ctx.Done():
		t.Fatal("the session did not close the liar's connection")
	}
	if ti, err := lh.TorrentFile(ctx); ti != nil || err != nil {
		t.Fatalf("torrent file after a lie: %v, %v", ti, err)
	}

	_, saddrs := seedingSession(ctx, t, pl.ti, pl.src)
	if err := lh.ConnectPeer(ctx, saddrs[0]); err != nil {
		t.Fatal(err)
	}
	alerts.wait(ctx, t, "metadata_received", func(a Alert) bool { _, ok := a.(MetadataReceivedAlert); return ok })
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, pl.src, dst)
	ti, err := lh.TorrentFile(ctx)
	if err != nil || ti == nil || ti.InfoHash() != ih || ti.NumPieces() != pl.ti.NumPieces() {
		t.Fatalf("torrent file %v, %v", ti, err)
	}
}

// TestHostileExtensionGarbage: malformed or oversized extension messages
// end the connection as a peer error; a request for metadata we have is
// answered with the right piece first.
func TestHostileExtensionGarbage(t *testing.T) {
	pl := makeHostilePayload(t, 1<<20, 64<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s := newTestSession(t)
	h, err := s.AddTorrent(ctx, AddTorrentParams{TI: pl.ti, SavePath: pl.src})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, h, "seeding", func(s TorrentStatus) bool { return s.IsSeeding })
	addrs, err := s.ListenAddrs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	alerts := &hostileAlerts{s: s}
	big := make([]byte, metadata.MaxMessageLen+1)
	for _, tc := range []struct {
		name    string
		payload []byte
		id      uint8
		want    error
	}{
		{"garbage ut_metadata", []byte("not bencode"), 2, peeractor.ErrBadExtension},
		{"oversized ut_metadata", big, 2, peeractor.ErrBadExtension},
		{"garbage handshake", []byte("d1:m"), 0, peeractor.ErrBadExtension},
		// libtorrent disconnects on an extended id it did not offer too.
		{"unknown extension id", []byte("d8:msg_typei0e5:piecei0ee"), 77, peeractor.ErrUnknownExtension},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := dialMetadataLiar(t, addrs[0], pl.ti.InfoHash(), pl.ti.m.InfoBytes)
			// Ask for piece 0 of the metadata first: we are served.
			hs := metadata.AppendExtHandshake(nil, metadata.ExtHandshake{M: map[string]uint8{metadata.ExtUTMetadata: 5}})
			req, _ := metadata.AppendMessage(nil, metadata.Message{Type: metadata.MsgRequest, Piece: 0})
			if _, err := l.conn.Write(wire.AppendMessage(wire.AppendMessage(nil,
				wire.Message{ID: wire.Extended, ExtendedID: 0, Payload: hs}),
				wire.Message{ID: wire.Extended, ExtendedID: 2, Payload: req})); err != nil {
				t.Fatal(err)
			}
			var theirs metadata.ExtHandshake
			for {
				m, err := l.r.ReadMessage()
				if err != nil {
					t.Fatalf("reading: %v", err)
				}
				if m.ID != wire.Extended {
					continue
				}
				if m.ExtendedID == 0 {
					if theirs, err = metadata.ParseExtHandshake(m.Payload); err != nil {
						t.Fatal(err)
					}
					if id, _ := theirs.ID(metadata.ExtUTMetadata); id != 2 || theirs.MetadataSize != int64(len(pl.ti.m.InfoBytes)) {
						t.Fatalf("their handshake %+v", theirs)
					}
					continue
				}
				if m.ExtendedID != 5 {
					t.Fatalf("ut_metadata with id %d, want ours (5)", m.ExtendedID)
				}
				d, err := metadata.ParseMessage(m.Payload)
				if err != nil || d.Type != metadata.MsgData || string(d.Data) != string(pl.ti.m.InfoBytes) {
					t.Fatalf("metadata reply %+v, %v", d.Type, err)
				}
				break
			}
			if _, err := l.conn.Write(wire.AppendMessage(nil, wire.Message{ID: wire.Extended, ExtendedID: tc.id, Payload: tc.payload})); err != nil {
				t.Fatal(err)
			}
			alerts.peerError(ctx, t, l.conn.LocalAddr().String(), tc.want)
		})
	}
	t.Run("request flood", func(t *testing.T) {
		l := dialMetadataLiar(t, addrs[0], pl.ti.InfoHash(), pl.ti.m.InfoBytes)
		hs := metadata.AppendExtHandshake(nil, metadata.ExtHandshake{M: map[string]uint8{metadata.ExtUTMetadata: 5}})
		b := wire.AppendMessage(nil, wire.Message{ID: wire.Extended, ExtendedID: 0, Payload: hs})
		req, _ := metadata.AppendMessage(nil, metadata.Message{Type: metadata.MsgRequest, Piece: 0})
		for range 1100 {
			b = wire.AppendMessage(b, wire.Message{ID: wire.Extended, ExtendedID: 2, Payload: req})
		}
		// Answers are read (and dropped) so the session's writes never wait.
		go func() {
			for {
				if _, err := l.r.ReadMessage(); err != nil {
					return
				}
			}
		}()
		if _, err := l.conn.Write(b); err != nil {
			t.Fatal(err)
		}
		alerts.peerError(ctx, t, l.conn.LocalAddr().String(), peeractor.ErrRequestFlood)
	})
}

// TestHostileMetadataLiarAmongHonest: a liar and an honest seeder both
// serve pieces of the first attempt (three ut_metadata pieces), so the
// hash failure cannot tell who lied; the fetcher then asks one suspect at
// a time. The liar ends up dropped as a peer error and the metadata comes
// from the honest peer.
func TestHostileMetadataLiarAmongHonest(t *testing.T) {
	// 1800 pieces of 16 KiB: a 36 KiB info dictionary, three metadata pieces.
	pl := makeHostilePayload(t, 1800*16<<10, 16<<10)
	// Checking and fetching 28 MiB take 20 s under -race on a busy
	// 2-core machine: the deadline only ends a hung test.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ih := pl.ti.InfoHash()
	_, saddrs := seedingSession(ctx, t, pl.ti, pl.src)
	dst := t.TempDir()
	leecher, lh, liar := magnetLeecherWithLiar(ctx, t, ih, dst, pl.ti.m.InfoBytes)
	// The liar is asked first but answers only once the honest peer is
	// connected: some pieces are its, some the honest peer's (else the
	// honest peer could give them all, and nobody would lie).
	liar.release = make(chan struct{})
	t.Cleanup(func() {
		select {
		case <-liar.release:
		default:
			close(liar.release) // a test that failed early: let serve end
		}
	})
	go liar.serve()
	select {
	case <-liar.asked:
	case <-ctx.Done():
		t.Fatal("the liar was never asked for metadata")
	}
	if err := lh.ConnectPeer(ctx, saddrs[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, lh, "the honest peer connected", func(s TorrentStatus) bool { return s.NumPeers >= 2 })
	close(liar.release)
	alerts := &hostileAlerts{s: leecher}
	alerts.wait(ctx, t, "metadata_received", func(a Alert) bool { _, ok := a.(MetadataReceivedAlert); return ok })
	alerts.peerError(ctx, t, liar.conn.LocalAddr().String(), ErrMetadataMismatch)
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	checkSameTree(t, pl.src, dst)
	var failed int
	alerts.mu.Lock()
	for _, a := range alerts.all {
		if _, ok := a.(MetadataFailedAlert); ok {
			failed++
		}
	}
	alerts.mu.Unlock()
	t.Logf("metadata_failed alerts: %d", failed)
}
