package actorrent

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/wire"
)

// bitfieldOf is a bitfield message with the first have of n pieces.
func bitfieldOf(n, have int) wire.Message {
	bf := bitfield.New(n)
	for i := range have {
		bf.Set(i)
	}
	return wire.Message{ID: wire.BitfieldMsg, Bitfield: bf.Bytes()}
}

// aria2 sends a bitfield in the middle of a connection in place of a batch
// of HAVEs. Our seeder must keep serving such a downloader (it used to
// hang up on it: the aria2 stall), taking the bitfield as the peer's pieces.
func TestLateBitfieldToSeeder(t *testing.T) {
	pl := makeHostilePayload(t, 1<<20, 256<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	seeder, addrs := seedingSession(ctx, t, pl.ti, pl.src)
	h := dialHostile(t, addrs[0], pl.ti, pl.data)
	n := pl.ti.NumPieces()
	if err := h.send(wire.Message{ID: wire.Interested}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.readUntil(func(m wire.Message) bool { return !m.KeepAlive && m.ID == wire.Unchoke }); err != nil {
		t.Fatalf("waiting for unchoke: %v", err)
	}
	for piece := range n {
		req := wire.Message{ID: wire.Request, Index: uint32(piece), Begin: 0, Length: wire.BlockSize}
		// After each block, what aria2 does once it has a few pieces: a
		// bitfield of what it has instead of HAVEs (never all of them,
		// else it would be a seed talking to a seed).
		msgs := []wire.Message{req}
		if piece > 0 {
			msgs = append([]wire.Message{bitfieldOf(n, piece)}, req)
		}
		if err := h.send(msgs...); err != nil {
			t.Fatalf("piece %d: %v", piece, err)
		}
		m, err := h.readUntil(func(m wire.Message) bool { return !m.KeepAlive && m.ID == wire.Piece })
		if err != nil {
			t.Fatalf("piece %d after %d late bitfields: %v", piece, piece, err)
		}
		off := int64(piece) * pl.ti.PieceLength()
		if m.Index != uint32(piece) || string(m.Block) != string(pl.data[off:off+wire.BlockSize]) {
			t.Fatalf("piece %d: got block %d/%d of %d bytes, not the payload", piece, m.Index, m.Begin, len(m.Block))
		}
	}
	alerts, err := seeder.PopAlerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if a.What() == "peer_error" || a.What() == "peer_disconnected" {
			t.Errorf("%s: %s", a.What(), a.Message())
		}
	}
}

// A downloader takes a later bitfield as the peer's pieces, replacing the
// first: a peer that starts with nothing and later sends a full bitfield
// becomes interesting, and the download completes from it.
func TestLateBitfieldToDownloader(t *testing.T) {
	pl := makeHostilePayload(t, 1<<20, 256<<10)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dst := t.TempDir()
	_, lh, addrs := downloadingSession(ctx, t, pl.ti, dst)
	h := dialHostile(t, addrs[0], pl.ti, pl.data)
	n := pl.ti.NumPieces()
	if err := h.send(bitfieldOf(n, 0), bitfieldOf(n, n/2), h.allHave()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); h.serve(-1, false) }()
	t.Cleanup(func() { h.conn.Close(); wg.Wait() })
	waitFor(ctx, t, lh, "finished", func(s TorrentStatus) bool { return s.IsFinished })
	if err := sameTree(pl.src, dst); err != nil {
		t.Fatal(err)
	}
}
