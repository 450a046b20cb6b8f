package torrentactor

import (
	"slices"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/seedmode"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// lazyVerify is the state of seed mode's lazy verification (seedingModes):
// a torrent added in seed mode has every piece without reading its files,
// and hashes each piece on its first request (libtorrent's seed_mode,
// verify_piece and on_seed_mode_hashed). internal/seedmode decides; the
// disk hashes (DiskVerifyPiece); peers hold the requests for a piece not
// verified yet until told (peeractor/seed_mode.go). Made when the torrent
// enters seed mode, dropped when it leaves: nil is "not in seed mode".
type lazyVerify struct {
	v *seedmode.Verifier
	// waiting are who wait on each piece being hashed: a peer's held
	// requests, a ReadPiece, a reader's read.
	waiting map[int][]func(ok bool)
}

// seedMode holds seed mode's handlers: a view of the actor, whose state
// is seedingOf(a).lazy.
type seedMode struct{ *Actor }

func (a seedMode) state() *lazyVerify {
	if a.seeding == nil {
		return nil
	}
	return a.seeding.lazy
}

// on reports whether the torrent is in seed mode now (status seed_mode).
func (a seedMode) on() bool {
	lz := a.state()
	return lz != nil && lz.v.Active()
}

// enterFromFlag starts seed mode for a torrent added with FlagSeedMode
// and no resume data: resume data decides for itself (checkResumeData),
// and data that is rejected means a full check. As libtorrent, the flag
// is dropped for a torrent added with a file priority 0: such a torrent
// does not mean to have everything.
func (a seedMode) enterFromFlag() {
	if a.cfg.Flags&messages.FlagSeedMode == 0 || len(a.cfg.ResumeData) > 0 || a.meta.fetching() ||
		a.info.NumPieces() == 0 || slices.Contains(a.cfg.FilePriorities, 0) {
		return
	}
	a.enter(nil)
}

// enter starts seed mode with the pieces verified before (nil: none).
func (a seedMode) enter(verified []bool) {
	seedingOf(a.Actor).lazy = &lazyVerify{v: seedmode.New(a.info.NumPieces(), verified), waiting: map[int][]func(bool){}}
}

// leave ends seed mode without a check of its own (ForceRecheck checks
// everything anyway): whoever waits on a hash hears it failed.
func (a seedMode) leave() {
	lz := a.state()
	if lz == nil {
		return
	}
	a.seeding.lazy = nil
	a.resume.needSave = true
	for p := range lz.waiting {
		lz.answer(p, false)
	}
}

// answer tells piece p's waiters the result of its hash.
func (lz *lazyVerify) answer(p int, ok bool) {
	ws := lz.waiting[p]
	delete(lz.waiting, p)
	for _, w := range ws {
		w(ok)
	}
}

// whenVerified runs then once piece p (a valid index) is verified, or
// failed (then(false)), and reports whether it waits; false: the piece
// needs no verification (not in seed mode, or verified), go on now.
func (a seedMode) whenVerified(ctx actor.Context, p int, then func(ok bool)) bool {
	lz := a.state()
	if lz == nil {
		return false
	}
	switch lz.v.Request(p) {
	case seedmode.Serve:
		return false
	case seedmode.Refuse:
		then(false)
		return true
	case seedmode.Hash:
		ctx.Send(a.cfg.Disk, &messages.DiskVerifyPiece{InfoHash: a.ih, Piece: p, ReplyTo: ctx.Self()})
	}
	lz.waiting[p] = append(lz.waiting[p], then)
	return true
}

// handleVerifyPiece: a peer holds requests for a piece not verified yet.
// It hears at once when no verification is due (out of seed mode it is
// told whether the piece is had: during a check, it is not).
func (a seedMode) handleVerifyPiece(ctx actor.Context, m *messages.VerifyPiece) {
	p := a.peers.get(m.Key)
	if p == nil || m.Piece < 0 || m.Piece >= a.info.NumPieces() {
		return
	}
	pid, piece := p.pid, m.Piece
	tell := func(ok bool) { ctx.Send(pid, &messages.PieceVerified{Piece: piece, OK: ok}) }
	if !a.whenVerified(ctx, piece, tell) {
		tell(a.have.Has(piece))
	}
}

// handleVerified applies a piece's hash result: its waiters are answered;
// the last piece to pass ends seed mode (as a seed), and a piece that
// fails ends it too: hash_failed, and the files are checked again, the
// pieces verified so far trusted (checkAfterFailure).
func (a seedMode) handleVerified(ctx actor.Context, m *messages.DiskVerifyPieceReply) {
	lz := a.state()
	if lz == nil {
		return // seed mode was left meanwhile; its waiters were answered
	}
	if m.Err != nil {
		a.post(ctx, &messages.FileErrorAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), File: m.Path, Operation: m.Op, Error: m.Err})
	}
	out := lz.v.Hashed(m.Piece, m.OK)
	lz.answer(m.Piece, out == seedmode.Verified || out == seedmode.AllVerified)
	switch out {
	case seedmode.Verified:
		a.resume.needSave = true
	case seedmode.AllVerified:
		a.seeding.lazy = nil
		a.resume.needSave = true
		for p := range a.peers.all() {
			ctx.Send(p.pid, &messages.PieceVerified{Piece: -1, OK: true})
		}
		statusView{a.Actor}.stateUpdated(ctx)
	case seedmode.Failed:
		a.log.Info("seed mode: piece failed its hash, checking the files", zap.Stringer("torrent", a.ih), zap.Int("piece", m.Piece))
		a.post(ctx, &messages.HashFailedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), PieceIndex: m.Piece})
		for p := range lz.waiting {
			lz.answer(p, false) // their results will be stale
		}
		a.change(ctx, event{kind: evRecheck})
	}
}

// diskCheck is the check startFullCheck asks of the disk: in seed mode,
// one that reads nothing and records every piece; after a piece failed,
// one that trusts the pieces verified (they were hashed just now, and a
// resume save during the check still claims them) and hashes the rest,
// after which seed mode is over. Nil: a full check.
func (a seedMode) diskCheck(gen int) *messages.DiskCheck {
	lz := a.state()
	switch {
	case lz == nil:
		return nil
	case lz.v.Active():
		return &messages.DiskCheck{InfoHash: a.ih, SeedMode: true, Gen: gen}
	}
	a.seeding.lazy = nil
	if !lz.v.Failed() {
		return nil // every piece verified: left already
	}
	have := lz.v.Verified()
	verify := make([]bool, len(have))
	for p, ok := range have {
		verify[p] = !ok
	}
	a.resume.claims = slices.Clone(have)
	return &messages.DiskCheck{InfoHash: a.ih, Have: have, Verify: verify, Gen: gen}
}

// checked follows the end of a check: seed mode ends if resume data said
// every piece was verified already.
func (a seedMode) checked(ctx actor.Context) {
	if lz := a.state(); lz != nil && lz.v.Left() == 0 {
		a.seeding.lazy = nil
		statusView{a.Actor}.stateUpdated(ctx)
	}
}

// unverified is what a new peer connection holds requests for: the
// pieces not verified yet (empty out of seed mode).
func (a seedMode) unverified() bitfield.Bitfield {
	if !a.on() {
		return bitfield.Bitfield{}
	}
	return a.state().v.Unverified()
}

// verifiedBits are resume data's bit 0x2 of each piece (nil out of seed
// mode).
func (a seedMode) verifiedBits() []bool {
	if !a.on() {
		return nil
	}
	return a.state().v.Verified()
}

// readDataLater is a reader's read held in seed mode until its piece is
// hashed: then served as any other (handleReadData), or failed.
func (a pieceAccessor) readDataLater(ctx actor.Context, m *messages.ReadData) func(ok bool) {
	sender := ctx.Sender()
	return func(ok bool) {
		if !ok {
			ctx.Send(sender, &messages.DiskReadReply{Piece: m.Piece, Begin: m.Begin, Err: messages.ErrPieceNotAvailable})
			return
		}
		ctx.Send(a.cfg.Disk, &messages.DiskRead{InfoHash: a.ih, Piece: m.Piece, Begin: m.Begin, Length: m.Length, ReplyTo: sender})
	}
}

// readPieceLater is a ReadPiece held in seed mode until its piece is
// hashed: then read, or failed as a piece not had.
func (a pieceAccessor) readPieceLater(ctx actor.Context, piece int) func(ok bool) {
	return func(ok bool) {
		if !ok {
			a.postReadPiece(ctx, piece, nil, messages.ErrPieceNotAvailable)
			return
		}
		a.readPiece(ctx, piece)
	}
}

// verifiedField is status's verified_pieces: the pieces verified in seed
// mode (empty out of it).
func (a seedMode) verifiedField() bitfield.Bitfield {
	if !a.on() {
		return bitfield.Bitfield{}
	}
	return a.state().v.VerifiedSet()
}
