package torrentactor

import (
	"slices"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// suggestions are the pieces lately read from the disk for a peer, hence
// in the read cache: with suggest_mode suggest_read_cache (libtorrent's
// 1.x rule) each is suggested once to the other peers, which send BEP 6's
// suggest to a remote that lacks it. Reading it from the cache costs
// nothing, so steering other downloaders to it saves disk reads. At most
// max_suggest_pieces are remembered, so a piece read again after
// dropping out is suggested again.
type suggestions struct {
	recent []int
}

const suggestReadCache = 1 // suggest_mode's suggest_read_cache

func (s *suggestions) handlePieceRead(ctx actor.Context, a *Actor, m *messages.PieceRead) {
	if a.set.Int(settings.SuggestMode) != suggestReadCache || slices.Contains(s.recent, m.Piece) {
		return
	}
	if limit := a.set.Int(settings.MaxSuggestPieces); limit <= 0 {
		return
	} else if len(s.recent) >= limit {
		s.recent = slices.Delete(s.recent, 0, len(s.recent)-limit+1)
	}
	s.recent = append(s.recent, m.Piece)
	for p := range a.peers.all() {
		if p.key != m.Key && p.connected && !p.closed {
			ctx.Send(p.pid, &messages.SuggestPiece{Piece: m.Piece})
		}
	}
}
