package piecepicker

import (
	"slices"
	"time"
)

// Picker modes beyond rarest first, as libtorrent's: sequential download
// (pieces in index order) and piece deadlines (time-critical pieces, what
// a streaming reader asks for, picked before anything else).

// modes is the picker's mode state.
type modes struct {
	sequential bool
	// cursor is a lower bound on the first piece we lack: sequential
	// picking starts there rather than at 0.
	cursor int
	// critical are the pieces with a deadline, soonest first.
	critical []criticalPiece
}

type criticalPiece struct {
	piece    int32
	deadline time.Time
}

// SetSequential turns sequential download on or off: new pieces are then
// picked in index order (the pieces a peer has, of priority > 0), not
// rarest first, and pieces already started are finished lowest index
// first.
func (p *Picker) SetSequential(on bool) { p.modes.sequential = on }

// Sequential reports whether sequential download is on.
func (p *Picker) Sequential() bool { return p.modes.sequential }

// SetDeadline makes piece time-critical (libtorrent's set_piece_deadline):
// Pick hands out its blocks before any other, soonest deadline first, and
// lets a second peer request a block one peer already has outstanding,
// so that one slow peer does not hold it up. A piece we have, or one out
// of range, is ignored. Setting it again moves the deadline.
func (p *Picker) SetDeadline(piece int, deadline time.Time) {
	if !p.validPiece(piece) || p.have.Has(piece) {
		return
	}
	p.ResetDeadline(piece)
	c := criticalPiece{piece: int32(piece), deadline: deadline}
	i, _ := slices.BinarySearchFunc(p.modes.critical, c, func(a, b criticalPiece) int {
		if x := a.deadline.Compare(b.deadline); x != 0 {
			return x
		}
		return int(a.piece - b.piece)
	})
	p.modes.critical = slices.Insert(p.modes.critical, i, c)
}

// ResetDeadline makes piece no longer time-critical.
func (p *Picker) ResetDeadline(piece int) {
	p.modes.critical = slices.DeleteFunc(p.modes.critical, func(c criticalPiece) bool { return int(c.piece) == piece })
}

// ClearDeadlines makes no piece time-critical.
func (p *Picker) ClearDeadlines() { p.modes.critical = p.modes.critical[:0] }

// Deadline returns piece's deadline, if it has one.
func (p *Picker) Deadline(piece int) (time.Time, bool) {
	for _, c := range p.modes.critical {
		if int(c.piece) == piece {
			return c.deadline, true
		}
	}
	return time.Time{}, false
}

// NumDeadlines is the number of time-critical pieces.
func (p *Picker) NumDeadlines() int { return len(p.modes.critical) }

// pickCritical requests blocks of the time-critical pieces peer has,
// soonest deadline first: free blocks, then (at most maxHolders per
// block) blocks another peer has outstanding.
func (p *Picker) pickCritical(peer PeerKey, ps *peerState, max int, out []Block) []Block {
	for _, c := range p.modes.critical {
		if len(out) >= max {
			break
		}
		piece := int(c.piece)
		if !p.wanted(piece) || !ps.hasPiece(piece) {
			continue
		}
		d := p.dl[piece]
		if d == nil {
			d = p.start(piece)
		}
		if d.free > 0 {
			out = p.takeFree(peer, ps, piece, max, out)
		}
		for blk := range d.blocks {
			if len(out) >= max {
				break
			}
			bs := &d.blocks[blk]
			if !bs.received && bs.n > 0 && bs.n < maxHolders && d.holderIndex(blk, peer) < 0 {
				p.addHolder(peer, ps, piece, d, blk)
				out = append(out, p.block(piece, blk))
			}
		}
		p.refresh(piece)
	}
	return out
}

// pickSequential starts new pieces in index order from the cursor.
func (p *Picker) pickSequential(peer PeerKey, ps *peerState, max int, out []Block) []Block {
	for p.modes.cursor < p.numPieces && p.have.Has(p.modes.cursor) {
		p.modes.cursor++
	}
	for i := p.modes.cursor; i < p.numPieces && len(out) < max; i++ {
		if p.order.has(i) && ps.hasPiece(i) {
			p.start(i)
			out = p.takeFree(peer, ps, i, max, out)
		}
	}
	return out
}

// forgetCritical drops piece from the time-critical ones once we have it.
func (p *Picker) forgetCritical(piece int) {
	if len(p.modes.critical) > 0 {
		p.ResetDeadline(piece)
	}
}
