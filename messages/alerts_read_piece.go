package messages

import "fmt"

// ReadPieceAlert carries a piece read for TorrentHandle.ReadPiece, or for
// a deadline set with alert_when_available (SetPieceDeadline). Buffer is
// the piece's bytes, the alert's own; Error is set when it could not be
// read (then Buffer is nil). Never dropped: a caller waits for it.
type ReadPieceAlert struct {
	TorrentAlertHeader
	Piece  int
	Size   int
	Buffer []byte
	Error  error
}

func (ReadPieceAlert) Type() int               { return 5 }
func (ReadPieceAlert) Category() AlertCategory { return CategoryStorage }
func (ReadPieceAlert) What() string            { return "read_piece" }
func (ReadPieceAlert) Discardable() bool       { return false }
func (a ReadPieceAlert) Message() string {
	if a.Error != nil {
		return fmt.Sprintf("%s: failed to read piece %d: %v", a.torrentName(), a.Piece, a.Error)
	}
	return fmt.Sprintf("%s: read_piece %d successful", a.torrentName(), a.Piece)
}
