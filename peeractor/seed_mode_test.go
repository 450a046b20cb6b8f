package peeractor

import (
	"net"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// startSeedRig is a fastRig (the remote speaks fast) whose peer is in
// seed mode: it has every piece, those in unverified not verified yet.
// Its torrent stub records VerifyPiece and lets the test answer.
func startSeedRig(t *testing.T, unverified []int) *fastRig {
	t.Helper()
	local, remote := net.Pipe()
	r := &fastRig{t: t, remote: remote, sys: actors.NewSystem(nil), counters: stats.NewCounters(),
		info: &metainfo.Info{Name: "x", PieceLength: fastPieceLen, Pieces: make([][20]byte, fastPieces), TotalLength: fastPieces * fastPieceLen}}
	root := r.sys.Root
	r.disk = root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if m, ok := c.Message().(*messages.DiskRead); ok {
			r.mu.Lock()
			r.reads = append(r.reads, m)
			r.mu.Unlock()
		}
	}))
	have, unv := bitfield.New(fastPieces), bitfield.New(fastPieces)
	have.SetAll()
	for _, p := range unverified {
		unv.Set(p)
	}
	var theirs [20]byte
	copy(theirs[:], "-TT0000-theirs------")
	hs := wire.Handshake{PeerID: theirs}
	hs.Reserved[wire.ReservedFastByte] |= wire.ReservedFastBit
	cfg := Config{
		Key: 1, Info: r.info, Have: have, Unverified: unv, Credit: actors.NewCredit(1 << 20), Disk: r.disk,
		Counters: r.counters, Conn: addrConn{local, tcpAddr(fastRemoteIP)}, Handshake: &hs,
		Settings: settingsWith(t, map[string]any{"allowed_fast_set_size": 0}),
	}
	copy(cfg.PeerID[:], "-TT0000-ours--------")
	r.parent = root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		switch m := c.Message().(type) {
		case *actor.Started:
			r.peer = c.Spawn(New(cfg))
		case *messages.SetChoke, *messages.PieceVerified:
			c.Send(r.peer, m)
		case *messages.VerifyPiece:
			r.mu.Lock()
			r.told = append(r.told, m)
			r.mu.Unlock()
		}
	}))
	_, r.in = remoteSide(t, r.sys, r.parent, remote, 256)
	return r
}

// asked are the pieces the peer asked its torrent to verify so far.
func (r *fastRig) asked() []int {
	var out []int
	for _, m := range r.toTorrent() {
		if v, ok := m.(*messages.VerifyPiece); ok {
			out = append(out, v.Piece)
		}
	}
	return out
}

// readPieces are the pieces of the disk reads waiting, in order.
func (r *fastRig) readPieces() []int {
	synctest.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int
	for _, m := range r.reads {
		out = append(out, m.Piece)
	}
	return out
}

// sentPieces are the piece indexes of the messages of kind id in ms.
func sentPieces(ms []wire.Message, id wire.MessageID) []int {
	var out []int
	for _, m := range ms {
		if m.ID == id {
			out = append(out, int(m.Index))
		}
	}
	return out
}

// In seed mode a request for a piece not verified yet is held (no read,
// no reject) and the torrent asked once; the answer serves it, or rejects
// it when the piece failed. A verified piece is read at once. At most
// three pieces are asked at a time; a cancelled held request is not
// served; our choke rejects held requests; "all verified" releases
// everything and ends the holding.
func TestSeedModeHoldsRequestsUntilVerified(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := startSeedRig(t, []int{0, 1, 2, 3, 4, 6, 7})
		r.send(wire.Message{ID: wire.HaveNone})
		r.sys.Root.Send(r.parent, &messages.SetChoke{Choke: false})
		r.received()

		r.send(request(blk(0, 0)), request(blk(0, 1)), request(blk(5, 0)))
		if got := r.readPieces(); !slices.Equal(got, []int{5}) {
			t.Fatalf("read %v, want only the verified piece 5", got)
		}
		if got := r.asked(); !slices.Equal(got, []int{0}) {
			t.Fatalf("asked %v, want piece 0 once", got)
		}
		r.serveReads()
		r.sys.Root.Send(r.parent, &messages.PieceVerified{Piece: 0, OK: true})
		if got := r.readPieces(); !slices.Equal(got, []int{0, 0}) {
			t.Fatalf("read %v after piece 0 verified, want both its blocks", got)
		}
		r.serveReads()
		// Verified now: served without asking.
		r.send(request(blk(0, 0)))
		if got := r.readPieces(); !slices.Equal(got, []int{0}) || len(r.asked()) != 1 {
			t.Fatalf("read %v, asked %v: a verified piece is read at once", got, r.asked())
		}
		r.serveReads()
		if got := sentPieces(r.received(), wire.Piece); !slices.Equal(got, []int{5, 0, 0, 0}) {
			t.Fatalf("sent pieces %v", got)
		}

		// Three at a time; a failure rejects and the next piece is asked.
		r.send(request(blk(1, 0)), request(blk(2, 0)), request(blk(3, 0)), request(blk(4, 0)))
		if got := r.asked(); !slices.Equal(got, []int{0, 1, 2, 3}) {
			t.Fatalf("asked %v, want 1, 2, 3 after 0 (three at a time)", got)
		}
		r.sys.Root.Send(r.parent, &messages.PieceVerified{Piece: 1, OK: false})
		if got := r.asked(); !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
			t.Fatalf("asked %v, want 4 once 1 was answered", got)
		}
		if got := sentPieces(r.received(), wire.Reject); !slices.Equal(got, []int{1}) {
			t.Fatalf("rejected %v, want piece 1 (failed)", got)
		}
		// A cancelled held request is dropped.
		r.send(wire.Message{ID: wire.Cancel, Index: 2, Begin: 0, Length: wire.BlockSize})
		synctest.Wait()
		r.sys.Root.Send(r.parent, &messages.PieceVerified{Piece: 2, OK: true})
		if got := r.readPieces(); len(got) != 0 {
			t.Fatalf("read %v for a cancelled request", got)
		}
		// Our choke rejects what is held.
		r.sys.Root.Send(r.parent, &messages.SetChoke{Choke: true})
		got := r.received()
		if !slices.Equal(ids(got), []wire.MessageID{wire.Choke, wire.Reject, wire.Reject}) ||
			!slices.Equal(slices.Sorted(slices.Values(sentPieces(got, wire.Reject))), []int{3, 4}) {
			t.Fatalf("after our choke: %v", got)
		}
		r.sys.Root.Send(r.parent, &messages.PieceVerified{Piece: 3, OK: true})
		if got := r.readPieces(); len(got) != 0 {
			t.Fatalf("read %v for a request rejected by our choke", got)
		}

		// Everything verified: no more holding.
		r.sys.Root.Send(r.parent, &messages.SetChoke{Choke: false})
		synctest.Wait()
		r.send(request(blk(6, 0)))
		synctest.Wait()
		r.sys.Root.Send(r.parent, &messages.PieceVerified{Piece: -1, OK: true})
		synctest.Wait()
		r.send(request(blk(7, 0)))
		if got := r.readPieces(); !slices.Equal(got, []int{6, 7}) {
			t.Fatalf("read %v after all verified, want 6 (held) then 7", got)
		}
		if got := r.asked(); !slices.Equal(got, []int{0, 1, 2, 3, 4, 6}) {
			t.Fatalf("asked %v", got)
		}
	})
}
