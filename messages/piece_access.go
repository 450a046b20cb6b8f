package messages

import "time"

// Messages of a torrent's piece access (libtorrent's picker modes,
// set_piece_deadline, read_piece, have_piece, piece_availability,
// file_progress), and what a streaming reader asks.

// SetSequentialDownload turns sequential download on or off.
type SetSequentialDownload struct{ On bool }

// SetPieceDeadline makes Piece time-critical, due In from now; with
// AlertWhenAvailable a ReadPieceAlert carries it once it is had (at once
// when it already is).
type SetPieceDeadline struct {
	Piece              int
	In                 time.Duration
	AlertWhenAvailable bool
}

// ResetPieceDeadline makes Piece no longer time-critical.
type ResetPieceDeadline struct{ Piece int }

// ClearPieceDeadlines makes no piece time-critical.
type ClearPieceDeadlines struct{}

// ReadPiece reads a piece we have; the result is a ReadPieceAlert.
type ReadPiece struct{ Piece int }

// GetPieces asks which pieces we have and how many peers have each; reply
// *PiecesReply.
type GetPieces struct{}

// PiecesReply answers GetPieces. Availability is per piece, over the
// connected peers (0 for every piece while there is no picker: checking,
// metadata).
type PiecesReply struct {
	Have         []bool
	Availability []int
}

// GetFileProgress asks for the bytes downloaded of each file; reply
// *FileProgressReply. PieceGranularity counts whole verified pieces only
// (libtorrent's piece_granularity flag); otherwise received blocks of
// pieces not verified yet count too.
type GetFileProgress struct{ PieceGranularity bool }

// FileProgressReply answers GetFileProgress: bytes per file.
type FileProgressReply struct{ Bytes []int64 }

// WaitPiece asks to be answered (*WaitPieceReply) once Piece is had: at
// once when it is, or with Err when it never will be (out of range, the
// torrent stopping).
type WaitPiece struct{ Piece int }

// WaitPieceReply answers WaitPiece.
type WaitPieceReply struct{ Err error }

// ReadData reads Length bytes at Begin of a piece we have; the disk
// answers the sender with *DiskReadReply (a pooled buffer the receiver
// owns), or the torrent does with an error when the piece is not had.
type ReadData struct {
	Piece, Begin, Length int
}
