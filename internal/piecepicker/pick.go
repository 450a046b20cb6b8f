package piecepicker

import (
	"cmp"
	"slices"
)

// candidate is a piece being considered by Pick with its sort keys
// (ascending a, then b, then r, then piece).
type candidate struct {
	piece int32
	a, b  int32
	r     uint32
}

func sortCandidates(c []candidate) { slices.SortFunc(c, cmpCandidate) }

func cmpCandidate(x, y candidate) int {
	if c := cmp.Compare(x.a, y.a); c != 0 {
		return c
	}
	if c := cmp.Compare(x.b, y.b); c != 0 {
		return c
	}
	if c := cmp.Compare(x.r, y.r); c != 0 {
		return c
	}
	return cmp.Compare(x.piece, y.piece)
}

// sparseFactor: a non-seed peer whose piece count times this is below the
// number of unstarted pieces is served by walking its own pieces instead of
// the whole order, so a peer with few pieces costs O(its pieces).
const sparseFactor = 16

// Pick returns up to max blocks to request from peer, among pieces the peer
// has, and marks them requested by peer:
//
//  1. free blocks of pieces already being downloaded, highest priority
//     first, then the piece with the fewest free blocks first;
//  2. blocks of new pieces, highest priority first, rarest first, random
//     tie-break;
//  3. in end game (see InEndGame), blocks already requested from one other
//     peer, never twice from the same peer and from at most two peers.
//
// Before all of them come the time-critical pieces (SetDeadline); with
// sequential download on, steps 1 and 2 go in index order (modes.go).
// The Policy (policy.go) may pick new pieces at random instead, switch to
// index order by itself, and loosen step 3.
func (p *Picker) Pick(peer PeerKey, max int) []Block {
	ps := p.peers[peer]
	if ps == nil || max <= 0 || (!ps.seed && ps.count == 0) {
		return nil
	}
	idle := len(ps.out) == 0 // nothing outstanding before this pick
	seq := p.PickingSequentially()
	out := make([]Block, 0, min(max, 256))
	if len(p.modes.critical) > 0 {
		out = p.pickCritical(peer, ps, max, out)
	}
	// Partial pieces go first unless they compete by rarity
	// (prioritize_partial_pieces off, partials.go).
	random := !seq && p.numHave < p.policy.RandomBelow
	partialsFirst := seq || random || !p.policy.PartialsByRarity || p.tooManyPartials()
	if len(out) < max && partialsFirst {
		out = p.pickPartial(peer, ps, max, out, seq)
	}
	switch {
	case len(out) >= max:
	case seq:
		out = p.pickSequential(peer, ps, max, out)
	case random:
		out = p.pickRandom(peer, ps, max, out)
	case partialsFirst:
		out = p.pickNew(peer, ps, max, out)
	default:
		out = p.pickByRarity(peer, ps, max, out)
	}
	if len(out) < max && p.InEndGame() {
		out = p.pickBusy(peer, ps, max, out)
	} else if len(out) == 0 && idle && p.policy.LooseEndGame {
		out = p.pickBusy(peer, ps, 1, out) // one busy block, as libtorrent's request_a_block
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// InEndGame reports whether every wanted block we lack is received or
// requested, so Pick may request blocks a second time.
func (p *Picker) InEndGame() bool {
	return !p.IsComplete() && len(p.order.pieces) == 0 && len(p.freeList) == 0
}

// takeFree requests free blocks of a downloading piece from peer.
func (p *Picker) takeFree(peer PeerKey, ps *peerState, piece, max int, out []Block) []Block {
	d := p.dl[piece]
	for blk := d.firstFree; blk < len(d.blocks) && d.free > 0 && len(out) < max; blk++ {
		if bs := &d.blocks[blk]; bs.n == 0 && !bs.received {
			p.addHolder(peer, ps, piece, d, blk)
			out = append(out, p.block(piece, blk))
			d.firstFree = blk + 1
		} else if blk == d.firstFree {
			d.firstFree = blk + 1
		}
	}
	p.refresh(piece)
	return out
}

func (p *Picker) pickPartial(peer PeerKey, ps *peerState, max int, out []Block, seq bool) []Block {
	c := p.cand[:0]
	for _, pc := range p.freeList {
		if ps.hasPiece(int(pc)) {
			cd := candidate{piece: pc, a: -int32(p.prio[pc]), b: int32(p.dl[pc].free)}
			if seq {
				cd.a, cd.b = 0, 0 // lowest index first
			}
			c = append(c, cd)
		}
	}
	slices.SortFunc(c, cmpCandidate)
	for _, cd := range c {
		if len(out) >= max {
			break
		}
		out = p.takeFree(peer, ps, int(cd.piece), max, out)
	}
	p.cand = c[:0]
	return out
}

func (p *Picker) pickNew(peer PeerKey, ps *peerState, max int, out []Block) []Block {
	c := p.selectNew(ps, max-len(out))
	// Start the chosen pieces only now: starting one reshuffles the order.
	for _, cd := range c {
		p.start(int(cd.piece))
		out = p.takeFree(peer, ps, int(cd.piece), max, out)
	}
	p.cand = c[:0]
	return out
}

// selectNew chooses new pieces the peer has, enough for need blocks,
// highest priority first, rarest first, random tie-break; each
// candidate's a is its bucket. The result is p.cand's memory.
func (p *Picker) selectNew(ps *peerState, need int) []candidate {
	c := p.cand[:0]
	o := &p.order
	if !ps.seed && ps.count*sparseFactor < len(o.pieces) {
		ps.bits.each(func(i int) {
			if o.has(i) {
				c = append(c, candidate{piece: int32(i), a: o.bucket[i], r: p.rng.Uint32()})
			}
		})
		slices.SortFunc(c, cmpCandidate)
		blocks := 0
		for k, cd := range c {
			if blocks >= need {
				c = c[:k]
				break
			}
			blocks += p.BlocksInPiece(int(cd.piece))
		}
		return c
	}
	blocks := 0
	for b := 0; b < o.numBuckets() && blocks < need; b++ {
		s, e := int(o.start[b]), int(o.start[b+1])
		if s == e {
			continue
		}
		n := e - s
		r := p.rng.IntN(n)
		for k := 0; k < n && blocks < need; k++ {
			pc := int(o.pieces[s+(r+k)%n])
			if ps.hasPiece(pc) {
				c = append(c, candidate{piece: int32(pc), a: int32(b), r: uint32(k)})
				blocks += p.BlocksInPiece(pc)
			}
		}
	}
	return c
}

// pickBusy is the end game: request blocks that exactly one other peer has
// outstanding, from pieces with the fewest missing blocks first.
func (p *Picker) pickBusy(peer PeerKey, ps *peerState, max int, out []Block) []Block {
	c := p.cand[:0]
	for _, pc := range p.dlList {
		if d := p.dl[pc]; p.wanted(int(pc)) && ps.hasPiece(int(pc)) && d.received < len(d.blocks) {
			c = append(c, candidate{piece: pc, a: -int32(p.prio[pc]), b: int32(len(d.blocks) - d.received)})
		}
	}
	slices.SortFunc(c, cmpCandidate)
	for _, cd := range c {
		piece := int(cd.piece)
		d := p.dl[piece]
		for blk := range d.blocks {
			if len(out) >= max {
				break
			}
			bs := &d.blocks[blk]
			if !bs.received && bs.n < maxHolders && d.holderIndex(blk, peer) < 0 {
				p.addHolder(peer, ps, piece, d, blk)
				out = append(out, p.block(piece, blk))
			}
		}
		p.refresh(piece)
		if len(out) >= max {
			break
		}
	}
	p.cand = c[:0]
	return out
}
