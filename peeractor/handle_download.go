package peeractor

import (
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// requestMore asks the torrent for blocks when the pipeline runs below
// half its depth. One ask is outstanding at a time; the torrent hands out
// blocks in batches (a future per block would cost more than the block).
func (a *Actor) requestMore(ctx actor.Context) {
	if !a.connected || a.closing || !a.amInterested || a.asking {
		return
	}
	if len(a.outstanding) > a.pipeline/2 {
		return
	}
	var allowed []int
	if a.peerChoking {
		// Choked: only the remote's allowed-fast pieces (fast.go).
		if allowed = (fastExt{a}).allowedToRequest(); allowed == nil {
			return
		}
	}
	a.asking = true
	ctx.Send(ctx.Parent(), &messages.RequestBlocks{Key: a.cfg.Key, Max: a.pipeline - len(a.outstanding), Allowed: allowed})
}

func (a *Actor) handleBlocksAssigned(ctx actor.Context, m *messages.BlocksAssigned) {
	a.asking = false
	if a.peerChoking && !a.closing && a.fast.on {
		m = (fastExt{a}).keepAllowed(ctx, m) // fast.go: a choking peer serves allowed-fast pieces
	}
	if a.closing || a.peerChoking && !a.fast.on {
		if len(m.Blocks) > 0 {
			ctx.Send(ctx.Parent(), &messages.BlocksCancelled{Key: a.cfg.Key, Blocks: m.Blocks})
		}
		return
	}
	if len(m.Blocks) == 0 {
		return
	}
	now := time.Now()
	a.rq.Sent(now, len(a.outstanding) == 0)
	blocks := a.toRequest(m.Blocks)
	for _, b := range m.Blocks {
		a.outstanding[b] = now
		delete(a.cancelled, b)
	}
	if len(blocks) == 0 {
		return
	}
	a.w.control(func(buf []byte) []byte {
		for _, b := range blocks {
			buf = wire.AppendRequest(buf, uint32(b.Piece), uint32(b.Begin), uint32(b.Length))
		}
		return buf
	})
	a.stats.upload += int64(17 * len(blocks))
	a.sent(stats.SesNumOutgoingRequest, len(blocks))
	a.lastSend = now
	a.totals.lastRequest = now
	(alerting{a}).postBlocksDownloading(ctx, blocks)
}

// handleHavePiece: we got a piece. Tell the peer unless it has it already.
func (a *Actor) handleHavePiece(m *messages.HavePiece) {
	if m.Piece < 0 || m.Piece >= a.have.Len() {
		return // not told the info yet (SetTorrentInfo carries our pieces)
	}
	a.have.Set(m.Piece)
	if !a.connected || a.closing || a.peerHave.Has(m.Piece) && (!a.set.Bool(settings.SendRedundantHave) || a.peerHave.All() && a.have.All()) {
		// send_redundant_have: a super seed learns from it that its piece
		// was passed on. Two seeds: the torrent closes the connection,
		// with no HAVE first (libtorrent's disconnect_if_redundant).
		return
	}
	a.w.control(func(b []byte) []byte { return wire.AppendHave(b, uint32(m.Piece)) })
	a.stats.upload += 9
	a.sent(stats.SesNumOutgoingHave, 1)
}

func (a *Actor) handleSetInterested(m *messages.SetInterested) {
	if a.amInterested == m.Interested || !a.connected || a.closing {
		a.amInterested = m.Interested
		return
	}
	a.amInterested = m.Interested
	id, counter := wire.NotInterested, stats.SesNumOutgoingNotInterested
	if m.Interested {
		id, counter = wire.Interested, stats.SesNumOutgoingInterested
	}
	a.w.control(func(b []byte) []byte { return wire.AppendMessage(b, wire.Message{ID: id}) })
	a.stats.upload += 5
	a.sent(counter, 1)
	a.flags.set(stats.PeerNumPeersDownInterested, m.Interested)
}

// handleCancelBlock: another peer delivered a block we also requested
// here (end game). The block may still arrive; it is then not an error.
func (a *Actor) handleCancelBlock(m *messages.CancelBlock) {
	b := m.Block
	if _, ok := a.outstanding[b]; !ok || a.closing {
		return
	}
	delete(a.outstanding, b)
	a.cancelled[b] = struct{}{}
	a.w.control(func(buf []byte) []byte {
		return wire.AppendMessage(buf, wire.Message{ID: wire.Cancel, Index: uint32(b.Piece), Begin: uint32(b.Begin), Length: uint32(b.Length)})
	})
	a.stats.upload += 17
	a.sent(stats.SesNumOutgoingCancel, 1)
}

// handleCancelRequests cancels everything outstanding and hands the
// blocks back to the torrent.
func (a *Actor) handleCancelRequests(ctx actor.Context) {
	if len(a.outstanding) == 0 || a.closing {
		return
	}
	blocks := make([]messages.Block, 0, len(a.outstanding))
	for b := range a.outstanding {
		blocks = append(blocks, b)
		a.cancelled[b] = struct{}{}
	}
	clear(a.outstanding)
	a.w.control(func(buf []byte) []byte {
		for _, b := range blocks {
			buf = wire.AppendMessage(buf, wire.Message{ID: wire.Cancel, Index: uint32(b.Piece), Begin: uint32(b.Begin), Length: uint32(b.Length)})
		}
		return buf
	})
	a.stats.upload += int64(17 * len(blocks))
	a.sent(stats.SesNumOutgoingCancel, len(blocks))
	ctx.Send(ctx.Parent(), &messages.BlocksCancelled{Key: a.cfg.Key, Blocks: blocks})
}
