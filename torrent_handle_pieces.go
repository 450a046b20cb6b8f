package actorrent

import (
	"context"
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/messages"
)

// Piece access, as libtorrent's torrent_handle: picker modes, deadlines,
// reading pieces, and what is had and where. A streaming reader is built
// on them (NewReader).

// DeadlineFlags are SetPieceDeadline's flags (libtorrent's
// deadline_flags_t).
type DeadlineFlags uint8

// AlertWhenAvailable: once the piece is had, a ReadPieceAlert carries it.
const AlertWhenAvailable DeadlineFlags = 1

// FileProgressFlags are FileProgress's flags.
type FileProgressFlags uint8

// PieceGranularity counts only whole verified pieces (cheaper; libtorrent's
// piece_granularity). Without it, blocks received of pieces not verified
// yet count too.
const PieceGranularity FileProgressFlags = 1

// FlagSequentialDownload adds a torrent with sequential download on.
const FlagSequentialDownload = messages.FlagSequentialDownload

// SetSequentialDownload turns sequential download on or off: pieces are
// picked in index order rather than rarest first (TorrentStatus.
// SequentialDownload shows it; resume data keeps it).
func (h TorrentHandle) SetSequentialDownload(ctx context.Context, on bool) error {
	return h.send(ctx, &messages.SetSequentialDownload{On: on})
}

// SetPieceDeadline makes piece time-critical, due within deadline: its
// blocks are requested before any other, soonest deadline first, from two
// peers at once when one holds a block (libtorrent's set_piece_deadline).
// With AlertWhenAvailable a ReadPieceAlert carries the piece once it is
// had — at once when it already is.
func (h TorrentHandle) SetPieceDeadline(ctx context.Context, piece int, deadline time.Duration, flags DeadlineFlags) error {
	return h.send(ctx, &messages.SetPieceDeadline{Piece: piece, In: deadline, AlertWhenAvailable: flags&AlertWhenAvailable != 0})
}

// ResetPieceDeadline makes piece no longer time-critical.
func (h TorrentHandle) ResetPieceDeadline(ctx context.Context, piece int) error {
	return h.send(ctx, &messages.ResetPieceDeadline{Piece: piece})
}

// ClearPieceDeadlines makes no piece time-critical.
func (h TorrentHandle) ClearPieceDeadlines(ctx context.Context) error {
	return h.send(ctx, &messages.ClearPieceDeadlines{})
}

// ReadPiece reads a piece we have; a ReadPieceAlert carries it (with
// ErrPieceNotAvailable or ErrInvalidPieceIndex when it cannot be read).
func (h TorrentHandle) ReadPiece(ctx context.Context, piece int) error {
	return h.send(ctx, &messages.ReadPiece{Piece: piece})
}

// HavePiece reports whether piece is downloaded and verified.
func (h TorrentHandle) HavePiece(ctx context.Context, piece int) (bool, error) {
	r, err := h.pieces(ctx)
	if err != nil {
		return false, err
	}
	return piece >= 0 && piece < len(r.Have) && r.Have[piece], nil
}

// PieceAvailability is, per piece, how many connected peers have it.
func (h TorrentHandle) PieceAvailability(ctx context.Context) ([]int, error) {
	r, err := h.pieces(ctx)
	if err != nil {
		return nil, err
	}
	return r.Availability, nil
}

func (h TorrentHandle) pieces(ctx context.Context) (*messages.PiecesReply, error) {
	r, err := h.ask(ctx, &messages.GetPieces{}, true)
	if err != nil {
		return nil, err
	}
	return r.(*messages.PiecesReply), nil
}

// FileProgress is the bytes downloaded of each file, in file order
// (libtorrent's file_progress).
func (h TorrentHandle) FileProgress(ctx context.Context, flags FileProgressFlags) ([]int64, error) {
	r, err := h.ask(ctx, &messages.GetFileProgress{PieceGranularity: flags&PieceGranularity != 0}, true)
	if err != nil {
		return nil, err
	}
	return r.(*messages.FileProgressReply).Bytes, nil
}

// waitPiece returns once piece is had, or with the reason it never will be.
func (h TorrentHandle) waitPiece(ctx context.Context, piece int) error {
	r, err := h.ask(ctx, &messages.WaitPiece{Piece: piece}, true)
	if err != nil {
		return err
	}
	return r.(*messages.WaitPieceReply).Err
}

// readData reads length bytes at begin of a piece we have into dst.
func (h TorrentHandle) readData(ctx context.Context, piece, begin int, dst []byte) error {
	r, err := h.ask(ctx, &messages.ReadData{Piece: piece, Begin: begin, Length: len(dst)}, true)
	if err != nil {
		return err
	}
	rep := r.(*messages.DiskReadReply)
	if rep.Err != nil {
		return rep.Err
	}
	copy(dst, rep.Data)
	bufpool.Put(rep.Data)
	return nil
}
