package torrentactor

import (
	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/settings"
)

// pickPolicy is the picker's part of the settings (piecepicker.Policy),
// set when the picker is made and again when the settings change.
func pickPolicy(s *settings.Snapshot) piecepicker.Policy {
	return piecepicker.Policy{
		RandomBelow:    s.Int(settings.InitialPickerThreshold),
		LooseEndGame:   !s.Bool(settings.StrictEndGameMode),
		AutoSequential: s.Bool(settings.AutoSequential),
		// libtorrent's default (off): partial pieces ranked by rarity.
		PartialsByRarity: !s.Bool(settings.PrioritizePartialPieces),
	}
}

// wholePieceWindow caps the bytes whole_pieces_threshold seconds of a
// peer's rate may stand for (libtorrent's 8 MiB in request_a_block).
const wholePieceWindow = 8 << 20

// pickHints is what the picker is told of the peer it picks for: on
// parole (use_parole_mode: a piece it sent data of failed, none passed
// since), and whether it is fast enough for pieces of its own: one piece
// within whole_pieces_threshold seconds at its download rate (not while
// pieces have deadlines: those are shared on purpose).
func pickHints(s *settings.Snapshot, p *peerInfo, pieceLength int64, deadlines int) piecepicker.Hints {
	h := piecepicker.Hints{Parole: p.parole}
	if t := s.Int(settings.WholePiecesThreshold); t > 0 && deadlines == 0 && pieceLength > 0 {
		h.Whole = min(int64(p.stats.PayloadDownloadRate)*int64(t), wholePieceWindow) >= pieceLength
	}
	return h
}
