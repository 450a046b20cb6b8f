package actorrent

import (
	"context"
	"encoding/binary"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/peeractor"
)

// A peer that sends a corrupt piece: the download posts hash_failed for it,
// counts the failed bytes, and gets the piece from a good peer; the files
// come out identical.
func TestHostileCorruptPieceThenGoodPeer(t *testing.T) {
	pl := makeHostilePayload(t, 3<<20+123, 256<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dst := t.TempDir()
	leecher, lh, addrs := downloadingSession(ctx, t, pl.ti, dst)
	const bad = 1
	hp := dialHostile(t, addrs[0], pl.ti, pl.data)
	if err := hp.send(hp.allHave()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); hp.serve(bad, true) }()
	t.Cleanup(func() { hp.conn.Close(); wg.Wait() })

	alerts := &hostileAlerts{s: leecher}
	alerts.wait(ctx, t, "hash_failed", func(a Alert) bool {
		hf, ok := a.(HashFailedAlert)
		return ok && hf.PieceIndex == bad
	})
	st, err := lh.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pieces.Has(bad) {
		t.Fatal("the corrupt piece was marked as had")
	}
	// It alone sent the bad piece: banned and disconnected, as libtorrent
	// does.
	hostile := hp.conn.LocalAddr().String()
	alerts.wait(ctx, t, "peer_ban", func(a Alert) bool {
		b, ok := a.(PeerBanAlert)
		return ok && b.Endpoint == hostile
	})
	alerts.wait(ctx, t, "peer_disconnected: too many corrupt pieces", func(a Alert) bool {
		d, ok := a.(PeerDisconnectedAlert)
		return ok && d.Endpoint == hostile && errors.Is(d.Error, ErrTooManyCorruptPieces)
	})

	_, saddrs := seedingSession(ctx, t, pl.ti, pl.src)
	if err := lh.ConnectPeer(ctx, saddrs[0]); err != nil {
		t.Fatal(err)
	}
	st = waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if st.TotalDone != pl.ti.TotalSize() {
		t.Fatalf("done %d of %d bytes", st.TotalDone, pl.ti.TotalSize())
	}
	if st.TotalFailedBytes < pl.ti.PieceSize(bad) {
		t.Fatalf("TotalFailedBytes = %d, want at least the piece (%d)", st.TotalFailedBytes, pl.ti.PieceSize(bad))
	}
	if err := sameTree(pl.src, dst); err != nil {
		t.Fatal(err)
	}
}

// Each protocol violation closes the connection with a peer_error alert
// naming the reason; the session goes on, and the torrent then downloads
// from a good peer.
func TestHostileProtocolViolations(t *testing.T) {
	// 13 pieces: the last bitfield byte has spare bits.
	pl := makeHostilePayload(t, 3<<20+123, 256<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dst := t.TempDir()
	leecher, lh, addrs := downloadingSession(ctx, t, pl.ti, dst)
	alerts := &hostileAlerts{s: leecher}
	n := pl.ti.NumPieces()
	spare := bitfield.New(n)
	bits := spare.Bytes()
	bits[len(bits)-1] |= 1 // a bit past the last piece

	cases := []struct {
		name   string
		attack func(h *hostilePeer) error
		reason error
	}{
		{"oversized message", func(h *hostilePeer) error {
			var b [5]byte
			binary.BigEndian.PutUint32(b[:], 100<<20)
			b[4] = byte(wire.Piece)
			_, err := h.conn.Write(b[:])
			return err
		}, wire.ErrMessageTooLong},
		{"unrequested block", func(h *hostilePeer) error {
			return h.send(wire.Message{ID: wire.Piece, Index: 0, Begin: 0, Block: h.data[:wire.BlockSize]})
		}, peeractor.ErrUnrequestedBlock},
		{"have with invalid index", func(h *hostilePeer) error {
			return h.send(wire.Message{ID: wire.Have, Index: uint32(n + 5)})
		}, peeractor.ErrInvalidIndex},
		{"bitfield with spare bits", func(h *hostilePeer) error {
			return h.send(wire.Message{ID: wire.BitfieldMsg, Bitfield: bits})
		}, bitfield.ErrSpareBits},
		// A later bitfield is allowed (aria2 sends them), but it is
		// checked like the first one.
		{"later bitfield of the wrong size", func(h *hostilePeer) error {
			return h.send(h.allHave(), wire.Message{ID: wire.BitfieldMsg, Bitfield: bits[:len(bits)-1]})
		}, peeractor.ErrBadBitfield},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := dialHostile(t, addrs[0], pl.ti, pl.data)
			if err := c.attack(h); err != nil {
				t.Fatal(err)
			}
			h.closedBySession()
			alerts.peerError(ctx, t, h.local, c.reason)
			st, err := lh.Status(ctx)
			if err != nil {
				t.Fatalf("status after %s: %v", c.name, err)
			}
			if st.Error != "" || st.NumPieces != 0 {
				t.Fatalf("after %s: error %q, %d pieces", c.name, st.Error, st.NumPieces)
			}
		})
	}
	_, saddrs := seedingSession(ctx, t, pl.ti, pl.src)
	if err := lh.ConnectPeer(ctx, saddrs[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(pl.src, dst); err != nil {
		t.Fatal(err)
	}
}

// A peer with more than 500 requests outstanding against our seeder is
// disconnected; the seeder goes on serving others.
func TestHostileRequestFlood(t *testing.T) {
	pl := makeHostilePayload(t, 1<<20, 256<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	seeder, addrs := seedingSession(ctx, t, pl.ti, pl.src)
	h := dialHostile(t, addrs[0], pl.ti, pl.data)
	if err := h.send(wire.Message{ID: wire.Interested}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.readUntil(func(m wire.Message) bool { return m.ID == wire.Unchoke && !m.KeepAlive }); err != nil {
		t.Fatalf("waiting for unchoke: %v", err)
	}
	// 2000 distinct one-byte requests in one write: the seeder cannot
	// serve them as fast as they arrive (32 reads in flight at most).
	var flood []byte
	for i := range 2000 {
		flood = wire.AppendRequest(flood, uint32(i%pl.ti.NumPieces()), uint32(i), 1)
	}
	if _, err := h.conn.Write(flood); err != nil && !isEOF(err) {
		t.Logf("flood write: %v", err) // the seeder may close first
	}
	h.closedBySession()
	alerts := &hostileAlerts{s: seeder}
	alerts.peerError(ctx, t, h.local, peeractor.ErrRequestFlood)

	// The seeder still serves a well-behaved leecher.
	dst := t.TempDir()
	leecher := newTestSession(t)
	lh, err := leecher.AddTorrent(ctx, AddTorrentParams{TI: pl.ti, SavePath: dst})
	if err != nil {
		t.Fatal(err)
	}
	if err := lh.ConnectPeer(ctx, addrs[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(pl.src, filepath.Join(dst)); err != nil {
		t.Fatal(err)
	}
}
