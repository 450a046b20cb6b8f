package peeractor

import (
	"errors"
	"fmt"
	"net"
	"slices"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// fastExt holds the fast extension's methods (BEP 6): the peer actor
// keeps its own methods under the budget (actor_methods_test.go).
type fastExt struct{ *Actor }

// The fast extension (BEP 6), as libtorrent speaks it: on when both
// handshakes set the bit. It replaces the opening bitfield by have_all or
// have_none when those say it, answers every request we will not serve
// with a reject (so the remote never waits for request_timeout), lets a
// choked peer fetch the few allowed-fast pieces, and keeps our requests
// alive across the remote's choke (it rejects those it drops).

// ErrFastNotNegotiated: a fast-extension message from a peer that did not
// set the bit in its handshake (libtorrent disconnects too).
var ErrFastNotNegotiated = errors.New("peeractor: fast extension message without the fast extension")

// ErrRejectsEverything closes a connection whose remote, while letting us
// download, rejects request after request and sends no block: it claimed
// pieces it will not give, and each reject only sends the block back to
// the picker, which may give it back to it (measured: 1227 rejects for a
// 128-block torrent in 0.7 s, a loop libtorrent would run too).
var ErrRejectsEverything = errors.New("peeractor: peer rejects our requests while unchoking us and sends no block")

// maxRejectsWithoutBlock is how many rejects in a row, while the remote
// unchokes us and sends no block, end the connection. An honest peer
// rejects what it cannot serve (a disk error, upload mode) and then
// chokes or sends blocks; 64 is a pipeline's worth of slow start many
// times over.
const maxRejectsWithoutBlock = 64

// maxAllowedIn bounds the allowed-fast pieces we remember from a peer (a
// hostile one could send millions).
const maxAllowedIn = 256

// fastState is the connection's fast-extension state.
type fastState struct {
	on bool
	// allowedOut: pieces we allowed the peer (served while we choke it).
	allowedOut  map[int]struct{}
	sentAllowed bool
	// allowedIn: pieces the peer allowed us, in the order it told them.
	allowedIn []int
	// earlyHaveAll: have_all arrived before the metadata.
	earlyHaveAll bool
	// suggested: pieces we suggested to the remote; lastRead: the piece
	// of the block we read last for it (told to the torrent once).
	suggested map[int]struct{}
	lastRead  int
	// rejects counts rejects while the remote unchoked us since the last
	// block it sent (ErrRejectsEverything).
	rejects int
}

// sendPieces tells the remote what we have: have_all or have_none with the
// fast extension, else a bitfield (nothing when we have nothing).
func (a fastExt) sendPieces() {
	if (superSeeding{a.Actor}).hidesPieces() {
		return // super seeding: have_none or nothing (super_seed.go)
	}
	n, have := a.have.Len(), a.have.Count()
	switch {
	case a.fast.on && n > 0 && have == n:
		a.w.control(func(b []byte) []byte { return wire.AppendMessage(b, wire.Message{ID: wire.HaveAll}) })
		a.stats.upload += 5
		a.sent(stats.SesNumOutgoingHaveAll, 1)
	case a.fast.on && have == 0:
		a.w.control(func(b []byte) []byte { return wire.AppendMessage(b, wire.Message{ID: wire.HaveNone}) })
		a.stats.upload += 5
		a.sent(stats.SesNumOutgoingHaveNone, 1)
	case have > 0:
		bits := a.have.Bytes()
		a.w.control(func(b []byte) []byte {
			return wire.AppendMessage(b, wire.Message{ID: wire.BitfieldMsg, Bitfield: bits})
		})
		a.sent(stats.SesNumOutgoingBitfield, 1)
	}
}

// handleFastMessage applies a fast-extension message (suggest, have_all,
// have_none, reject, allowed_fast). Without the extension each is a
// protocol violation.
func (a fastExt) handleFastMessage(ctx actor.Context, m wire.Message) error {
	if !a.fast.on {
		return fmt.Errorf("%w: %s", ErrFastNotNegotiated, m.ID)
	}
	switch m.ID {
	case wire.HaveAll:
		a.handleHaveAll(ctx)
	case wire.HaveNone:
		a.handleHaveNone(ctx)
	case wire.Reject:
		a.handleReject(ctx, messages.Block{Piece: int(m.Index), Begin: int(m.Begin), Length: int(m.Length)})
	case wire.AllowedFast:
		a.handleAllowedFast(ctx, int(m.Index))
	case wire.Suggest:
		// A hint only (counted by the reader); libtorrent's picker may
		// prefer it, ours picks rarest first.
	}
	return nil
}

// handleHaveAll: the remote is a seed.
func (a fastExt) handleHaveAll(ctx actor.Context) {
	if a.cfg.Info == nil {
		a.fast.earlyHaveAll = true
		a.ext.rawBitfield, a.ext.gotBitfield = nil, false
		return
	}
	a.peerHaveAll(ctx)
}

func (a fastExt) peerHaveAll(ctx actor.Context) {
	bf := bitfield.New(a.cfg.Info.NumPieces())
	bf.SetAll()
	a.peerHave = bf
	reporting{a.Actor}.bitfieldChanged(ctx)
}

// applyEarlyHaveAll applies a have_all that came before the metadata.
func (a fastExt) applyEarlyHaveAll(ctx actor.Context) {
	if a.fast.earlyHaveAll {
		a.fast.earlyHaveAll = false
		a.peerHaveAll(ctx)
	}
}

// handleHaveNone: the remote has nothing, which is what we assumed; it is
// its opening message, so it may now get its allowed-fast set.
func (a fastExt) handleHaveNone(ctx actor.Context) {
	if a.cfg.Info == nil {
		a.fast.earlyHaveAll = false
		a.ext.rawBitfield, a.ext.gotBitfield = nil, false
		return
	}
	a.peerHave = bitfield.New(a.cfg.Info.NumPieces())
	reporting{a.Actor}.bitfieldChanged(ctx)
	a.sendAllowedFast()
}

// handleReject: the remote will not send b. An outstanding block goes back
// to the torrent; one we cancelled or timed out is already back. Any other
// is ignored (libtorrent logs it and goes on).
func (a fastExt) handleReject(ctx actor.Context, b messages.Block) {
	if !a.peerChoking {
		if a.fast.rejects++; a.fast.rejects > maxRejectsWithoutBlock {
			a.fail(ctx, ErrRejectsEverything, true)
			return
		}
	}
	if _, ok := a.outstanding[b]; ok {
		delete(a.outstanding, b)
		ctx.Send(ctx.Parent(), &messages.BlocksCancelled{Key: a.cfg.Key, Blocks: []messages.Block{b}})
		a.requestMore(ctx)
		return
	}
	a.unawaited(b)
}

// handleAllowedFast remembers a piece the remote serves while choking us.
func (a fastExt) handleAllowedFast(ctx actor.Context, piece int) {
	if a.cfg.Info != nil && (piece < 0 || piece >= a.cfg.Info.NumPieces()) {
		return // out of range: ignored, as libtorrent does
	}
	if len(a.fast.allowedIn) >= maxAllowedIn || slices.Contains(a.fast.allowedIn, piece) {
		return
	}
	a.fast.allowedIn = append(a.fast.allowedIn, piece)
	a.requestMore(ctx)
}

// allowedToRequest is what a choked peer may be asked for: its
// allowed-fast pieces that it has (nil: none, so no ask).
func (a fastExt) allowedToRequest() []int {
	if !a.fast.on || a.cfg.Info == nil {
		return nil
	}
	var out []int
	for _, p := range a.fast.allowedIn {
		if p < a.peerHave.Len() && a.peerHave.Has(p) && !a.have.Has(p) {
			out = append(out, p)
		}
	}
	return out
}

// isAllowedIn reports whether the remote allowed us piece.
func (a fastExt) isAllowedIn(piece int) bool { return slices.Contains(a.fast.allowedIn, piece) }

// sendAllowedFast sends the remote its allowed-fast set (BEP 6: the
// allowed_fast_set_size pieces derived from its address), once, when it
// has fewer pieces than that, the case the set is for: a newcomer gets
// its first pieces from us even while we choke it. libtorrent sends
// every piece when the set would cover the torrent.
func (a fastExt) sendAllowedFast() {
	k := a.set.Int(settings.AllowedFastSetSize)
	if !a.fast.on || a.fast.sentAllowed || a.cfg.Info == nil || k <= 0 || a.closing || !a.connected || a.super.on {
		return
	}
	if a.peerHave.Count() >= k {
		return
	}
	a.fast.sentAllowed = true
	n := a.cfg.Info.NumPieces()
	var pieces []uint32
	if k >= n {
		for i := range n {
			pieces = append(pieces, uint32(i))
		}
	} else {
		pieces = wire.AllowedFastSet(fastSetIP(a.conn), a.cfg.InfoHash, n, k)
	}
	if len(pieces) == 0 {
		return
	}
	a.fast.allowedOut = make(map[int]struct{}, len(pieces))
	for _, p := range pieces {
		a.fast.allowedOut[int(p)] = struct{}{}
	}
	a.w.control(func(b []byte) []byte {
		for _, p := range pieces {
			b = wire.AppendMessage(b, wire.Message{ID: wire.AllowedFast, Index: p})
		}
		return b
	})
	a.stats.upload += int64(9 * len(pieces))
	a.sent(stats.SesNumOutgoingAllowedFast, len(pieces))
}

// isAllowedOut reports whether we allowed the remote piece.
func (a fastExt) isAllowedOut(piece int) bool {
	_, ok := a.fast.allowedOut[piece]
	return ok
}

// reject tells the remote we will not serve b (with the fast extension;
// without it there is no such message and the request is dropped).
func (a fastExt) reject(b messages.Block) {
	if !a.fast.on || !a.connected || a.closing {
		return
	}
	a.w.control(func(buf []byte) []byte {
		return wire.AppendMessage(buf, wire.Message{ID: wire.Reject, Index: uint32(b.Piece), Begin: uint32(b.Begin), Length: uint32(b.Length)})
	})
	a.stats.upload += 17
	a.sent(stats.SesNumOutgoingReject, 1)
	a.sent(stats.PeerPieceRejects, 1)
}

// rejectOnChoke: we choke the remote. Its queued requests for pieces we
// did not allow it are rejected, and so are those being read (their data
// is dropped when it comes); allowed-fast ones are still served.
func (a fastExt) rejectOnChoke() {
	kept := a.requests[:0]
	for _, b := range a.requests {
		if a.fast.on && a.isAllowedOut(b.Piece) {
			kept = append(kept, b)
			continue
		}
		a.reject(b)
	}
	clear(a.requests[len(kept):])
	a.requests = kept
	for b, live := range a.inFlight {
		if live && !(a.fast.on && a.isAllowedOut(b.Piece)) {
			a.inFlight[b] = false
			a.reject(b)
		}
	}
}

// fastSetIP is the address the remote's allowed-fast set derives from
// (nil: none, e.g. IPv6, for which BEP 6 defines no set).
func fastSetIP(c net.Conn) net.IP {
	if c == nil {
		return nil
	}
	ip := remoteIP(c.RemoteAddr()).Unmap()
	if !ip.Is4() {
		return nil
	}
	return net.IP(ip.AsSlice())
}

// keepAllowed: blocks assigned while the remote chokes us are requested
// only from its allowed-fast pieces; the rest go back to the torrent (they
// were picked before the choke).
func (a fastExt) keepAllowed(ctx actor.Context, m *messages.BlocksAssigned) *messages.BlocksAssigned {
	var keep, back []messages.Block
	for _, b := range m.Blocks {
		if a.isAllowedIn(b.Piece) {
			keep = append(keep, b)
		} else {
			back = append(back, b)
		}
	}
	if len(back) > 0 {
		ctx.Send(ctx.Parent(), &messages.BlocksCancelled{Key: a.cfg.Key, Blocks: back})
	}
	return &messages.BlocksAssigned{Blocks: keep}
}

// noteRead tells the torrent a piece was read from the disk for the
// remote (with suggest_read_cache), once per run of blocks of one piece.
func (a fastExt) noteRead(ctx actor.Context, piece int) {
	if a.set.Int(settings.SuggestMode) != 1 || piece+1 == a.fast.lastRead {
		return
	}
	a.fast.lastRead = piece + 1 // +1: the zero value is no piece
	ctx.Send(ctx.Parent(), &messages.PieceRead{Key: a.cfg.Key, Piece: piece})
}

// handleSuggestPiece sends a suggest for a piece in our read cache, once,
// to a remote with the fast extension that lacks it.
func (a fastExt) handleSuggestPiece(m *messages.SuggestPiece) {
	if !a.fast.on || !a.connected || a.closing || m.Piece < 0 || m.Piece >= a.peerHave.Len() ||
		a.peerHave.Has(m.Piece) || !a.have.Has(m.Piece) {
		return
	}
	if _, dup := a.fast.suggested[m.Piece]; dup {
		return
	}
	if a.fast.suggested == nil {
		a.fast.suggested = map[int]struct{}{}
	}
	a.fast.suggested[m.Piece] = struct{}{}
	a.w.control(func(b []byte) []byte {
		return wire.AppendMessage(b, wire.Message{ID: wire.Suggest, Index: uint32(m.Piece)})
	})
	a.stats.upload += 9
	a.sent(stats.SesNumOutgoingSuggest, 1)
}
