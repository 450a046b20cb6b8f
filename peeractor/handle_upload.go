package peeractor

import (
	"fmt"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// maxBlockRequest is the largest block a peer may ask for (libtorrent
// refuses over 16 KiB... 128 KiB to be liberal with old clients).
const maxBlockRequest = 128 * 1024

// handleRemoteRequest queues a block request from the peer.
func (a *Actor) handleRemoteRequest(ctx actor.Context, b messages.Block) error {
	c := a.cfg.Counters
	c.Inc(stats.PeerPieceRequests)
	if a.cfg.Info == nil {
		c.Inc(stats.PeerInvalidPieceRequests) // as libtorrent counts a request before the metadata
		(fastExt{a}).reject(b)                // fast.go: only with the fast extension
		return nil                            // we have no pieces yet; nothing to validate against
	}
	if b.Piece < 0 || b.Piece >= a.cfg.Info.NumPieces() || b.Begin < 0 || b.Length <= 0 ||
		b.Length > maxBlockRequest || int64(b.Begin)+int64(b.Length) > a.cfg.Info.PieceSize(b.Piece) {
		c.Inc(stats.PeerInvalidPieceRequests)
		(alerting{a}).postInvalidRequest(ctx, b)
		return fmt.Errorf("%w: piece %d offset %d length %d", ErrInvalidRequest, b.Piece, b.Begin, b.Length)
	}
	if !a.have.Has(b.Piece) || (superSeeding{a}).refuses(b.Piece) {
		// A piece we do not have, or hide while super seeding:
		// invalid_request, and the request is ignored (libtorrent
		// rejects it, with the fast extension).
		c.Inc(stats.PeerInvalidPieceRequests)
		(alerting{a}).postInvalidRequest(ctx, b)
		(fastExt{a}).reject(b)
		return nil
	}
	if a.amChoking && !(a.fast.on && (fastExt{a}).isAllowedOut(b.Piece)) {
		c.Inc(stats.PeerChokedPieceRequests)
		(fastExt{a}).reject(b)
		return nil // a request racing our choke: ignored (rejected with fast), as libtorrent does
	}
	if len(a.requests) >= a.set.Int(settings.MaxAllowedInRequestQueue) { // read live: SettingsChanged
		c.Inc(stats.PeerMaxPieceRequests)
		if a.fast.on {
			(fastExt{a}).reject(b) // with fast, a full queue is a reject, not a hang-up
			return nil
		}
		return ErrRequestFlood
	}
	if a.seed != nil && (seedGate{a}).hold(ctx, b) {
		return nil // seed mode: served once the piece is verified (seed_mode.go)
	}
	a.requests = append(a.requests, b)
	a.serve(ctx)
	return nil
}

func (a *Actor) handleRemoteCancel(b messages.Block) {
	if a.seed != nil && (seedGate{a}).cancel(b) {
		return
	}
	for i, r := range a.requests {
		if r == b {
			a.requests = append(a.requests[:i], a.requests[i+1:]...)
			a.cfg.Counters.Inc(stats.PeerCancelledPieceRequests)
			return
		}
	}
	if _, ok := a.inFlight[b]; ok {
		a.inFlight[b] = false // drop it when the read comes back
	}
}

// serve starts disk reads for queued requests, keeping a bounded number of
// blocks in flight (being read or waiting in the writer).
func (a *Actor) serve(ctx actor.Context) {
	for len(a.requests) > 0 && a.uploading < a.window.blocks && !a.closing {
		b := a.requests[0]
		a.requests = a.requests[1:]
		if _, dup := a.inFlight[b]; dup {
			continue
		}
		a.inFlight[b] = true
		a.uploading++
		ctx.Send(a.cfg.Disk, &messages.DiskRead{InfoHash: a.cfg.InfoHash, Piece: b.Piece, Begin: b.Begin, Length: b.Length, ReplyTo: ctx.Self()})
	}
}

func (a *Actor) handleDiskReadReply(ctx actor.Context, m *messages.DiskReadReply) {
	b := messages.Block{Piece: m.Piece, Begin: m.Begin, Length: len(m.Data)}
	if m.Err != nil {
		b.Length = 0
		for k := range a.inFlight {
			if k.Piece == m.Piece && k.Begin == m.Begin {
				b = k
			}
		}
	}
	live, ok := a.inFlight[b]
	delete(a.inFlight, b)
	if m.Err != nil && ok && !a.closing {
		// We cannot send what we promised by unchoking: without the fast
		// extension there is no reject, and a request dropped silently
		// stalls the remote for request_timeout. Hang up: it asks
		// elsewhere at once (libtorrent disconnects too).
		a.fail(ctx, fmt.Errorf("%w: %w", ErrReadFailed, m.Err), false)
		return
	}
	if m.Err != nil || !ok || !live || a.closing || a.amChoking && !(a.fast.on && (fastExt{a}).isAllowedOut(b.Piece)) {
		if m.Data != nil {
			bufpool.Put(m.Data)
		}
		a.uploading--
		if m.Err == nil {
			a.serve(ctx)
		}
		return
	}
	(fastExt{a}).noteRead(ctx, m.Piece) // fast.go: the piece is in the read cache now
	a.w.block(func(buf []byte) []byte {
		return wire.AppendPieceHeader(buf, uint32(m.Piece), uint32(m.Begin), len(m.Data))
	}, m.Data)
	a.sent(stats.SesNumOutgoingPiece, 1)
}

// handleBlockSent: a block left the socket; start the next read. Its bytes
// are counted by the writer (see collectSent).
func (a *Actor) handleBlockSent(ctx actor.Context, _ *blockSent) {
	a.uploading--
	a.serve(ctx)
}

func (a *Actor) handleSetChoke(ctx actor.Context, m *messages.SetChoke) {
	if a.amChoking == m.Choke || !a.connected || a.closing {
		a.amChoking = m.Choke
		return
	}
	a.amChoking = m.Choke
	id, counter := wire.Unchoke, stats.SesNumOutgoingUnchoke
	if m.Choke {
		id, counter = wire.Choke, stats.SesNumOutgoingChoke
	}
	a.w.control(func(b []byte) []byte { return wire.AppendMessage(b, wire.Message{ID: id}) })
	if m.Choke {
		(fastExt{a}).rejectOnChoke() // discards the peer's requests, rejecting them with fast (fast.go)
		if a.seed != nil {
			(seedGate{a}).rejectOnChoke() // and those held in seed mode (seed_mode.go)
		}
	}
	a.stats.upload += 5
	a.sent(counter, 1)
	a.flags.set(stats.PeerNumPeersUpUnchokedAll, !m.Choke)
}
