package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// pieceAccessor holds the piece-access handlers (piece_access.go).
type pieceAccessor struct{ *Actor }

// message handles the piece-access messages in every state; it reports
// whether the message was one.
func (a pieceAccessor) message(ctx actor.Context) bool {
	switch m := ctx.Message().(type) {
	case *messages.SetSequentialDownload:
		a.access().sequential = m.On
		if a.picker != nil {
			a.picker.SetSequential(m.On)
		}
		statusView{a.Actor}.stateUpdated(ctx)
	case *messages.SetPieceDeadline:
		a.handleSetPieceDeadline(ctx, m)
	case *messages.ResetPieceDeadline:
		if a.pa != nil {
			delete(a.pa.deadlines, m.Piece)
			delete(a.pa.alertWhen, m.Piece)
		}
		if a.picker != nil {
			a.picker.ResetDeadline(m.Piece)
		}
	case *messages.ClearPieceDeadlines:
		if a.pa != nil {
			clear(a.pa.deadlines)
			clear(a.pa.alertWhen)
		}
		if a.picker != nil {
			a.picker.ClearDeadlines()
		}
	case *messages.ReadPiece:
		a.readPiece(ctx, m.Piece)
	case *messages.GetPieces:
		ctx.Respond(a.pieces())
	case *messages.GetFileProgress:
		ctx.Respond(&messages.FileProgressReply{Bytes: a.fileProgress(m.PieceGranularity)})
	case *messages.WaitPiece:
		a.handleWaitPiece(ctx, m)
	case *messages.ReadData:
		a.handleReadData(ctx, m)
	default:
		return false
	}
	return true
}

func (a pieceAccessor) validPiece(p int) bool { return p >= 0 && p < a.info.NumPieces() }

func (a pieceAccessor) handleSetPieceDeadline(ctx actor.Context, m *messages.SetPieceDeadline) {
	if !a.validPiece(m.Piece) {
		if m.AlertWhenAvailable {
			a.postReadPiece(ctx, m.Piece, nil, messages.ErrInvalidPieceIndex)
		}
		return
	}
	if a.have.Has(m.Piece) {
		if m.AlertWhenAvailable {
			a.readPiece(ctx, m.Piece)
		}
		return
	}
	pa := a.access()
	at := time.Now().Add(m.In)
	pa.deadlines[m.Piece] = at
	if m.AlertWhenAvailable {
		pa.alertWhen[m.Piece] = true
	} else {
		delete(pa.alertWhen, m.Piece)
	}
	if a.picker != nil {
		// Taken first at each peer's next request for blocks.
		a.picker.SetDeadline(m.Piece, at)
	}
}

// applyPickerModes gives a new picker (after a check) the modes and
// deadlines asked before and the add flag's sequential download, and
// settles what was asked while the pieces were not known: waits for
// pieces the check found, reads due, indexes past a magnet's metadata.
func (a pieceAccessor) applyModes(ctx actor.Context) {
	if a.cfg.Flags&messages.FlagSequentialDownload != 0 && a.pa == nil {
		a.access().sequential = true
	}
	if a.pa == nil {
		return
	}
	a.picker.SetSequential(a.pa.sequential)
	for p, at := range a.pa.deadlines {
		if a.have.Has(p) || !a.validPiece(p) {
			delete(a.pa.deadlines, p)
			continue
		}
		a.picker.SetDeadline(p, at)
	}
	for p, ws := range a.pa.waiters {
		var r *messages.WaitPieceReply
		switch {
		case !a.validPiece(p):
			r = &messages.WaitPieceReply{Err: messages.ErrInvalidPieceIndex}
		case a.have.Has(p):
			r = &messages.WaitPieceReply{}
		default:
			continue
		}
		for _, w := range ws {
			ctx.Send(w, r)
		}
		delete(a.pa.waiters, p)
	}
	for p := range a.pa.alertWhen {
		if a.have.Has(p) || !a.validPiece(p) {
			delete(a.pa.alertWhen, p)
			a.readPiece(ctx, p)
		}
	}
}

// sequential reports whether sequential download is on.
func (a pieceAccessor) sequential() bool {
	if a.pa != nil {
		return a.pa.sequential
	}
	return a.cfg.Flags&messages.FlagSequentialDownload != 0
}

// piecePassedAccess follows a piece passing its check: its waiters are
// answered and a deadline set with alert_when_available reads it.
func (a pieceAccessor) piecePassed(ctx actor.Context, piece int) {
	if a.pa == nil {
		return
	}
	delete(a.pa.deadlines, piece)
	for _, w := range a.pa.waiters[piece] {
		ctx.Send(w, &messages.WaitPieceReply{})
	}
	delete(a.pa.waiters, piece)
	if a.pa.alertWhen[piece] {
		delete(a.pa.alertWhen, piece)
		a.readPiece(ctx, piece)
	}
}

// readPiece reads a piece into a ReadPieceAlert (libtorrent's read_piece).
func (a pieceAccessor) readPiece(ctx actor.Context, piece int) {
	switch {
	case !a.validPiece(piece):
		a.postReadPiece(ctx, piece, nil, messages.ErrInvalidPieceIndex)
	case !a.have.Has(piece):
		a.postReadPiece(ctx, piece, nil, messages.ErrPieceNotAvailable)
	case (seedMode{a.Actor}).whenVerified(ctx, piece, a.readPieceLater(ctx, piece)):
		// Seed mode: read once hashed (seed_mode.go).
	default:
		a.access().reads[piece]++
		ctx.Send(a.cfg.Disk, &messages.DiskRead{InfoHash: a.ih, Piece: piece, Length: int(a.info.PieceSize(piece)), ReplyTo: ctx.Self()})
	}
}

// handleDiskReadReply takes a read's answer; a torrent asks the disk only
// for ReadPiece (a reader's reads go straight to the reader).
func (a pieceAccessor) handleDiskReadReply(ctx actor.Context, m *messages.DiskReadReply) {
	if a.pa == nil || a.pa.reads[m.Piece] == 0 {
		bufpool.Put(m.Data)
		return
	}
	if a.pa.reads[m.Piece]--; a.pa.reads[m.Piece] == 0 {
		delete(a.pa.reads, m.Piece)
	}
	var buf []byte
	if m.Err == nil {
		// The alert is the user's to keep: a copy, the pooled buffer back.
		buf = append([]byte(nil), m.Data...)
	}
	bufpool.Put(m.Data)
	a.postReadPiece(ctx, m.Piece, buf, m.Err)
}

func (a pieceAccessor) postReadPiece(ctx actor.Context, piece int, buf []byte, err error) {
	a.post(ctx, &messages.ReadPieceAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Piece: piece, Size: len(buf), Buffer: buf, Error: err})
}

func (a pieceAccessor) handleWaitPiece(ctx actor.Context, m *messages.WaitPiece) {
	switch {
	case a.info.NumPieces() == 0 && a.meta.fetching():
		// No metadata yet: the piece may exist once it comes.
		pa := a.access()
		pa.waiters[m.Piece] = append(pa.waiters[m.Piece], ctx.Sender())
	case !a.validPiece(m.Piece):
		ctx.Respond(&messages.WaitPieceReply{Err: messages.ErrInvalidPieceIndex})
	case a.have.Has(m.Piece):
		ctx.Respond(&messages.WaitPieceReply{})
	default:
		pa := a.access()
		pa.waiters[m.Piece] = append(pa.waiters[m.Piece], ctx.Sender())
	}
}

// handleReadData starts a reader's read: the disk answers the caller.
func (a pieceAccessor) handleReadData(ctx actor.Context, m *messages.ReadData) {
	switch {
	case !a.validPiece(m.Piece):
		ctx.Respond(&messages.DiskReadReply{Piece: m.Piece, Begin: m.Begin, Err: messages.ErrInvalidPieceIndex})
	case !a.have.Has(m.Piece):
		ctx.Respond(&messages.DiskReadReply{Piece: m.Piece, Begin: m.Begin, Err: messages.ErrPieceNotAvailable})
	case (seedMode{a.Actor}).whenVerified(ctx, m.Piece, a.readDataLater(ctx, m)):
		// Seed mode: read once hashed (seed_mode.go).
	default:
		ctx.Send(a.cfg.Disk, &messages.DiskRead{InfoHash: a.ih, Piece: m.Piece, Begin: m.Begin, Length: m.Length, ReplyTo: ctx.Sender()})
	}
}

// releaseWaiters answers every waiter: the torrent is stopping.
func (a pieceAccessor) releaseWaiters(ctx actor.Context) {
	if a.pa == nil {
		return
	}
	for p, ws := range a.pa.waiters {
		for _, w := range ws {
			ctx.Send(w, &messages.WaitPieceReply{Err: messages.ErrTorrentStopped})
		}
		delete(a.pa.waiters, p)
	}
}

// pieces are the have flags and availability (libtorrent's have_piece and
// piece_availability).
func (a pieceAccessor) pieces() *messages.PiecesReply {
	n := a.info.NumPieces()
	r := &messages.PiecesReply{Have: make([]bool, n), Availability: make([]int, n)}
	for i := range n {
		r.Have[i] = a.have.Has(i)
		if a.picker != nil {
			r.Availability[i] = a.picker.Availability(i)
		}
	}
	return r
}

// fileProgress is the bytes downloaded of each file (libtorrent's
// file_progress): the verified pieces' bytes in it, and unless
// pieceGranularity the received blocks of pieces not verified yet.
func (a pieceAccessor) fileProgress(pieceGranularity bool) []int64 {
	files := a.info.Files
	out := make([]int64, len(files))
	if len(files) == 0 || a.info.PieceLength == 0 {
		return out
	}
	add := func(off, n int64) { // bytes [off, off+n) of the torrent
		for i := fileAt(files, off); i < len(files) && n > 0; i++ {
			f := files[i]
			if f.Offset+f.Length <= off {
				continue
			}
			take := min(n, f.Offset+f.Length-off)
			out[i] += take
			off, n = off+take, n-take
		}
	}
	for p := range a.info.NumPieces() {
		if a.have.Has(p) {
			add(a.info.PieceOffset(p), a.info.PieceSize(p))
			continue
		}
		if pieceGranularity || a.picker == nil || a.picker.PieceBlocksReceived(p) == 0 {
			continue
		}
		for b := range a.picker.BlocksInPiece(p) {
			blk := piecepicker.Block{Piece: p, Begin: b * piecepicker.BlockSize, Length: a.picker.BlockLength(p, b)}
			if a.picker.IsBlockReceived(blk) {
				add(a.info.PieceOffset(p)+int64(blk.Begin), int64(blk.Length))
			}
		}
	}
	return out
}

// fileAt is the index of the file holding byte off (the first of several
// empty files at that offset).
func fileAt(files []metainfo.File, off int64) int {
	lo, hi := 0, len(files)
	for lo < hi {
		m := (lo + hi) / 2
		if files[m].Offset+files[m].Length <= off && files[m].Length > 0 || files[m].Offset < off && files[m].Length == 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
