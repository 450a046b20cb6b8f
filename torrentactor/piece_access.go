package torrentactor

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// pieceAccess is what users asked of the torrent's pieces: sequential
// download, deadlines, reads and waits (libtorrent's picker modes,
// set_piece_deadline with alert_when_available, read_piece, and what a
// streaming reader waits on). Made on first use: most torrents never
// need it (see stAlert in actor.go for why the actor keeps such state
// behind pointers).
type pieceAccess struct {
	sequential bool
	// deadlines are kept here as well as in the picker, which a recheck
	// replaces: a new picker gets them again (applyPickerModes).
	deadlines map[int]time.Time
	// alertWhen are the pieces to read into a ReadPieceAlert once had.
	alertWhen map[int]bool
	// waiters are the WaitPiece callers per piece not had yet.
	waiters map[int][]*actor.PID
	// reads are the ReadPiece reads under way, per piece (a piece read
	// twice at once posts two alerts, as libtorrent does).
	reads map[int]int
}

// access returns the piece-access state, making it on first use.
func (a pieceAccessor) access() *pieceAccess {
	if a.pa == nil {
		a.pa = &pieceAccess{
			deadlines: make(map[int]time.Time),
			alertWhen: make(map[int]bool),
			waiters:   make(map[int][]*actor.PID),
			reads:     make(map[int]int),
		}
	}
	return a.pa
}
