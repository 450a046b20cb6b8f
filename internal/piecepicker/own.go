package piecepicker

// Two kinds of peer download pieces of their own, as libtorrent's picker
// options say (request_blocks.cpp, piece_picker::add_blocks_downloading):
//
//   - a peer on parole (use_parole_mode: a piece it sent data of failed)
//     is given only pieces no other peer has requested or sent blocks of,
//     so that a piece that fails again names the peer that spoiled it;
//   - a fast peer (whole_pieces_threshold: it downloads a piece within
//     that many seconds) finishes the pieces it requests alone before it
//     starts new ones, and takes free blocks of pieces other peers are
//     requesting from only when it finds nothing else: each piece then
//     comes from few peers, and finished pieces are announced sooner.

// Hints are what the torrent knows of the peer a pick is for.
type Hints struct {
	// Parole: only pieces of its own (first step above); no time-critical
	// pieces, no end game.
	Parole bool
	// Whole: prefer pieces of its own (second step above). Ignored while
	// many pieces are partial, as libtorrent: more partial pieces than
	// half as many again as there are peers, or more than 2048 of their
	// blocks (32 MiB) in all.
	Whole bool
}

// PickFor is Pick for a peer with hints.
func (p *Picker) PickFor(peer PeerKey, max int, h Hints) []Block {
	if h.Whole && !h.Parole && p.tooManyPartials() {
		h.Whole = false
	}
	if !h.Parole && !h.Whole {
		return p.Pick(peer, max)
	}
	ps := p.peers[peer]
	if ps == nil || max <= 0 || (!ps.seed && ps.count == 0) {
		return nil
	}
	seq := p.PickingSequentially()
	out := make([]Block, 0, min(max, 256))
	if !h.Parole && len(p.modes.critical) > 0 {
		out = p.pickCritical(peer, ps, max, out)
	}
	if len(out) < max {
		out = p.pickOwnPartial(peer, ps, max, out, h.Parole)
	}
	switch {
	case len(out) >= max:
	case seq:
		out = p.pickSequential(peer, ps, max, out)
	case p.numHave < p.policy.RandomBelow:
		out = p.pickRandom(peer, ps, max, out)
	default:
		out = p.pickNew(peer, ps, max, out)
	}
	if h.Parole {
		return nilIfEmpty(out)
	}
	if len(out) < max {
		out = p.pickPartial(peer, ps, max, out, seq) // shared pieces: the fallback
	}
	if len(out) < max && p.InEndGame() {
		out = p.pickBusy(peer, ps, max, out)
	}
	return nilIfEmpty(out)
}

func nilIfEmpty(out []Block) []Block {
	if len(out) == 0 {
		return nil
	}
	return out
}

// tooManyPartials is libtorrent's bound on partial pieces, past which it
// has every peer finish them rather than start pieces of its own.
func (p *Picker) tooManyPartials() bool {
	n := len(p.freeList)
	return n > len(p.peers)*3/2 || n*p.BlocksInPiece(0) > 2048
}

// pickOwnPartial takes free blocks of the partial pieces that are the
// peer's own: every block requested now is requested by it alone and, on
// parole, every block received came from it too (libtorrent's exclusive
// and exclusive_active).
func (p *Picker) pickOwnPartial(peer PeerKey, ps *peerState, max int, out []Block, parole bool) []Block {
	c := p.cand[:0]
	for _, pc := range p.freeList {
		if ps.hasPiece(int(pc)) && p.dl[pc].ownedBy(peer, parole) {
			c = append(c, candidate{piece: pc, a: -int32(p.prio[pc]), b: int32(p.dl[pc].free)})
		}
	}
	sortCandidates(c)
	for _, cd := range c {
		if len(out) >= max {
			break
		}
		out = p.takeFree(peer, ps, int(cd.piece), max, out)
	}
	p.cand = c[:0]
	return out
}

// ownedBy reports whether the piece's outstanding requests are all
// peer's and, with received, its received blocks too.
func (d *dlPiece) ownedBy(peer PeerKey, received bool) bool {
	for i := range d.blocks {
		bs := &d.blocks[i]
		for j := 0; j < int(bs.n); j++ {
			if bs.holders[j] != peer {
				return false
			}
		}
		if received && bs.received && (!bs.hasFrom || bs.from != peer) {
			return false
		}
	}
	return true
}
