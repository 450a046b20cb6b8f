package peeractor

import (
	"fmt"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
)

// max_allowed_in_request_queue bounds the remote's requests waiting for a
// read (with the fast extension, one more is rejected), is told to the
// remote as our reqq, and a change applies to the connection at once.
func TestRequestQueueLimitFollowsSetting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// A one-block upload window and reads never answered: one request
		// is being read, the rest wait in the queue.
		r := startFastRigWith(t, true, allPieces(), map[string]any{
			"max_allowed_in_request_queue": 3, "send_buffer_low_watermark": wire.BlockSize, "send_buffer_watermark": wire.BlockSize})
		r.send(wire.Message{ID: wire.HaveNone})
		r.sys.Root.Send(r.parent, &messages.SetChoke{Choke: false})
		r.received()
		var blocks []messages.Block
		for p := range fastPieces {
			blocks = append(blocks, blk(p, 0), blk(p, 1))
		}
		ask := func(bs []messages.Block) (rejected []messages.Block) {
			t.Helper()
			for _, b := range bs {
				r.send(request(b))
			}
			for _, m := range r.received() {
				if m.ID == wire.Reject {
					rejected = append(rejected, messages.Block{Piece: int(m.Index), Begin: int(m.Begin), Length: int(m.Length)})
				}
			}
			return rejected
		}
		// 1 read + 3 queued; the fifth is one too many.
		if got := ask(blocks[:5]); !slices.Equal(got, blocks[4:5]) {
			t.Fatalf("limit 3: rejected %v, want %v", got, blocks[4:5])
		}
		r.sys.Root.Send(r.peer, &messages.SettingsChanged{Settings: settingsWith(t, map[string]any{
			"max_allowed_in_request_queue": 5, "send_buffer_low_watermark": wire.BlockSize, "send_buffer_watermark": wire.BlockSize})})
		if got := ask(blocks[5:8]); !slices.Equal(got, blocks[7:8]) {
			t.Fatalf("limit raised to 5: rejected %v, want %v", got, blocks[7:8])
		}
		if n := r.counters.Get(stats.PeerMaxPieceRequests); n != 2 {
			t.Fatalf("max_piece_requests counted %d, want 2", n)
		}
	})
}

// A piece we finish is announced to a peer that has it too only with
// send_redundant_have (on by default, as libtorrent's).
func TestRedundantHave(t *testing.T) {
	tests := []struct {
		redundant bool
		want      []uint32 // HAVEs sent for pieces 1 (the peer lacks it) and 3 (it has it)
	}{
		{true, []uint32{1, 3}},
		{false, []uint32{1}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("send_redundant_have=", tt.redundant), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := startFastRigWith(t, true, nil, map[string]any{"send_redundant_have": tt.redundant})
				r.send(wire.Message{ID: wire.HaveNone}, wire.Message{ID: wire.Have, Index: 3})
				r.received()
				r.sys.Root.Send(r.peer, &messages.HavePiece{Piece: 1})
				r.sys.Root.Send(r.peer, &messages.HavePiece{Piece: 3})
				var got []uint32
				for _, m := range r.received() {
					if m.ID == wire.Have {
						got = append(got, m.Index)
					}
				}
				if !slices.Equal(got, tt.want) {
					t.Fatalf("HAVEs sent for pieces %v, want %v", got, tt.want)
				}
			})
		})
	}
}
