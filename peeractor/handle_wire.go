package peeractor

import (
	"errors"
	"fmt"
	"time"

	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Protocol violations (peer_error).
var (
	ErrUnrequestedBlock = errors.New("peeractor: peer sent a block we did not request")
	ErrInvalidIndex     = errors.New("peeractor: invalid piece index")
	ErrInvalidRequest   = errors.New("peeractor: invalid request")
	ErrBadBitfield      = errors.New("peeractor: malformed bitfield")
	ErrRequestFlood     = errors.New("peeractor: too many outstanding requests")
)

// handleInbound applies one message from the peer.
func (a *Actor) handleInbound(ctx actor.Context, in *inbound) {
	m := in.msg
	if a.closing {
		if m.ID == wire.Piece && !m.KeepAlive {
			a.releaseHeld(m.Block)
		}
		return
	}
	a.stats.download += int64(in.size)
	if m.KeepAlive {
		return
	}
	if m.ID == wire.Extended {
		// Not counted as the first message: some clients send their
		// extension handshake before the bitfield.
		if err := a.handleExtended(ctx, m); err != nil {
			a.fail(ctx, err, true)
		}
		return
	}
	var err error
	switch m.ID {
	case wire.Choke:
		a.flags.set(stats.PeerNumPeersDownUnchoked, false)
		a.handleChoked(ctx)
	case wire.Unchoke:
		a.flags.set(stats.PeerNumPeersDownUnchoked, true)
		a.peerChoking = false
		a.requestMore(ctx)
	case wire.Interested, wire.NotInterested:
		a.peerInterested = m.ID == wire.Interested
		a.flags.set(stats.PeerNumPeersUpInterested, a.peerInterested)
		reporting{a}.interestChanged(ctx) // reports.go
	case wire.Have:
		err = a.handlePeerHave(ctx, int(m.Index))
	case wire.BitfieldMsg:
		err = a.handlePeerBitfield(ctx, m.Bitfield)
	case wire.Request:
		err = a.handleRemoteRequest(ctx, messages.Block{Piece: int(m.Index), Begin: int(m.Begin), Length: int(m.Length)})
	case wire.Cancel:
		a.handleRemoteCancel(messages.Block{Piece: int(m.Index), Begin: int(m.Begin), Length: int(m.Length)})
	case wire.Piece:
		err = a.handlePiece(ctx, int(m.Index), int(m.Begin), m.Block)
	case wire.Suggest, wire.HaveAll, wire.HaveNone, wire.Reject, wire.AllowedFast:
		err = (fastExt{a}).handleFastMessage(ctx, m) // fast.go
	case wire.Port:
		dhtPorting{a}.received(ctx, m.Port) // BEP 5 (dht_port.go)
	}
	if err != nil {
		a.fail(ctx, err, true)
	}
}

func (a *Actor) handlePeerHave(ctx actor.Context, piece int) error {
	if a.cfg.Info == nil {
		a.keepEarlyHave(uint32(piece))
		return nil
	}
	if piece < 0 || piece >= a.peerHave.Len() {
		return fmt.Errorf("%w: have %d of %d", ErrInvalidIndex, piece, a.peerHave.Len())
	}
	if a.peerHave.Has(piece) {
		return nil
	}
	a.peerHave.Set(piece)
	reporting{a}.haveAdded(ctx, piece)
	return nil
}

// handlePeerBitfield replaces what we know of the peer's pieces, whenever
// the bitfield comes. BEP 3 puts it first, but aria2 also sends one later
// in place of a batch of HAVEs whenever the batch would be longer on the
// wire (5+len(bitfield) <= 9*haves: DefaultBtInteractive::checkHave), which
// a fast download does every few MiB. We used to drop the connection as a
// protocol violation, and aria2 then banned us: "seeding to aria2 stalls
// after a few MiB". libtorrent accepts a later bitfield and replaces the
// peer's pieces with it (peer_connection::incoming_bitfield), and so do
// we; the picker's PeerBitfield already replaces rather than adds.
func (a *Actor) handlePeerBitfield(ctx actor.Context, bits []byte) error {
	if a.cfg.Info == nil {
		a.ext.rawBitfield, a.ext.gotBitfield = bits, true
		return nil
	}
	// In place: peerHave's storage is its own (the torrent gets clones),
	// and a peer may send bitfields as fast as it can.
	if err := a.peerHave.Assign(bits); err != nil {
		return fmt.Errorf("%w: %w", ErrBadBitfield, err)
	}
	reporting{a}.bitfieldChanged(ctx)
	(fastExt{a}).sendAllowedFast()
	return nil
}

// handleChoked: without the fast extension, every pending request is void.
// With it, they stand: the remote rejects those it drops (and may still
// serve its allowed-fast pieces).
func (a *Actor) handleChoked(ctx actor.Context) {
	a.peerChoking = true
	if a.fast.on {
		a.requestMore(ctx)
		return
	}
	a.voidTimedOut()
	if len(a.outstanding) == 0 {
		return
	}
	blocks := make([]messages.Block, 0, len(a.outstanding))
	for b := range a.outstanding {
		blocks = append(blocks, b)
		a.cancelled[b] = struct{}{}
		delete(a.outstanding, b)
	}
	ctx.Send(ctx.Parent(), &messages.BlocksCancelled{Key: a.cfg.Key, Blocks: blocks})
}

// handlePiece checks that a block was requested and hands it to the disk.
func (a *Actor) handlePiece(ctx actor.Context, piece, begin int, data []byte) error {
	b := messages.Block{Piece: piece, Begin: begin, Length: len(data)}
	if _, ok := a.outstanding[b]; !ok {
		if a.unawaited(b) {
			a.rq.Redundant(time.Now(), len(a.outstanding) > 0)
			a.releaseHeld(data)
			a.stats.redundant += int64(len(data))
			a.cfg.Counters.Add(stats.NetRecvRedundantBytes, int64(len(data)))
			return nil
		}
		a.releaseHeld(data)
		(alerting{a}).postUnwantedBlock(ctx, b)
		return fmt.Errorf("%w: piece %d offset %d length %d", ErrUnrequestedBlock, piece, begin, len(data))
	}
	delete(a.outstanding, b)
	a.stats.payloadDownload += int64(len(data))
	a.blockArrived(ctx, time.Now())
	// The disk owns the buffer and the credit from here on.
	a.heldCredit.Add(-int64(len(data)))
	ctx.Send(a.cfg.Disk, &messages.DiskWrite{InfoHash: a.cfg.InfoHash, Piece: piece, Begin: begin, Data: data, Cached: (alerting{a}).blockFinished(b), AlertTo: a.cfg.Alerts})
	(alerting{a}).warnDiskQueue(ctx)
	ctx.Send(ctx.Parent(), &messages.BlocksReceived{Key: a.cfg.Key, Blocks: []messages.Block{b}})
	a.requestMore(ctx)
	return nil
}
