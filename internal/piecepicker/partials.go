package piecepicker

import (
	"math"
	"slices"
)

// pickByRarity is rarest first without libtorrent's prioritize_partials
// (prioritize_partial_pieces off, its default): a partial piece is not
// finished before everything else but ranks among the new pieces by its
// priority and availability, ahead of new pieces of the same rank
// (libtorrent's piece_pos::priority gives a downloading piece that edge),
// and the one with the fewest free blocks first among partial ones. Pick
// falls back to partial pieces first while there are too many of them
// (tooManyPartials), as libtorrent does.
func (p *Picker) pickByRarity(peer PeerKey, ps *peerState, max int, out []Block) []Block {
	c := p.selectNew(ps, max-len(out))
	m := p.merge[:0]
	for _, cd := range c {
		cd.b = math.MaxInt32 // after partial pieces of the same rank
		m = append(m, cd)
	}
	p.cand = c[:0]
	for _, pc := range p.freeList {
		if ps.hasPiece(int(pc)) {
			m = append(m, candidate{piece: pc, a: int32(p.rank(int(pc))), b: int32(p.dl[pc].free)})
		}
	}
	slices.SortFunc(m, cmpCandidate)
	for _, cd := range m {
		if len(out) >= max {
			break
		}
		if p.dl[cd.piece] == nil {
			p.start(int(cd.piece))
		}
		out = p.takeFree(peer, ps, int(cd.piece), max, out)
	}
	p.merge = m[:0]
	return out
}

// rank is the order's bucket a piece has or would have: its priority,
// then its availability (past the order's range: the commonest of it).
func (p *Picker) rank(piece int) int {
	return p.order.key(p.prio[piece], min(p.avail[piece], int32(p.order.stride-1)))
}
