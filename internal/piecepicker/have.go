package piecepicker

import "github.com/actorrent/actorrent/internal/bitfield"

// SetHave records that piece is verified and on disk: it leaves the picker
// and any requests still outstanding for it are forgotten.
func (p *Picker) SetHave(piece int) {
	if !p.validPiece(piece) || p.have.Has(piece) {
		return
	}
	p.have.Set(piece)
	p.forgetCritical(piece)
	if d := p.dl[piece]; d != nil {
		p.dropAllHolders(piece, d)
		p.release(piece)
	}
	p.numHave++
	if p.prio[piece] > 0 {
		p.numWantedHave++
		p.adjustInterest(piece, -1)
	}
	p.refresh(piece)
}

// Have reports whether we have piece.
func (p *Picker) Have(piece int) bool { return p.have.Has(piece) }

// HaveBitfield returns a copy of our pieces.
func (p *Picker) HaveBitfield() bitfield.Bitfield { return p.have.Clone() }

// NumHave returns how many pieces we have.
func (p *Picker) NumHave() int { return p.numHave }

// IsComplete reports whether we have every wanted (priority > 0) piece.
func (p *Picker) IsComplete() bool { return p.numWantedHave == p.numWanted }

// SetPiecePriority sets the priority of piece: 0 = don't download, 1..7
// (higher is picked first); values outside are clamped. Requests already
// made for a piece set to 0 stay valid but no new ones are handed out.
func (p *Picker) SetPiecePriority(piece int, prio int) {
	if !p.validPiece(piece) {
		return
	}
	prio = min(max(prio, DontDownload), MaxPriority)
	old := int(p.prio[piece])
	if old == prio {
		return
	}
	if (old > 0) != (prio > 0) {
		delta := 1
		if prio == 0 {
			delta = -1
		}
		p.numWanted += delta
		if p.have.Has(piece) {
			p.numWantedHave += delta
		} else {
			p.adjustInterest(piece, delta)
		}
	}
	p.prio[piece] = uint8(prio)
	// The bucket depends on the priority, so re-place the piece.
	p.order.remove(piece)
	p.refresh(piece)
}

// PiecePriority returns the priority of piece (0 if out of range).
func (p *Picker) PiecePriority(piece int) int {
	if !p.validPiece(piece) {
		return 0
	}
	return int(p.prio[piece])
}

// wanted reports whether blocks of piece may be handed out.
func (p *Picker) wanted(piece int) bool { return p.prio[piece] > 0 && !p.have.Has(piece) }

// refresh puts piece where its state says it belongs: in the order if it
// is wanted and not started, in freeList if it is being downloaded, is
// wanted and has free blocks, nowhere otherwise.
func (p *Picker) refresh(piece int) {
	d := p.dl[piece]
	if d == nil {
		if !p.wanted(piece) {
			p.order.remove(piece)
			return
		}
		p.placeInOrder(piece)
		return
	}
	p.order.remove(piece)
	inFree := d.freePos >= 0
	if wantFree := p.wanted(piece) && d.free > 0; wantFree && !inFree {
		d.freePos = int32(len(p.freeList))
		p.freeList = append(p.freeList, int32(piece))
	} else if !wantFree && inFree {
		last := p.freeList[len(p.freeList)-1]
		p.freeList[d.freePos] = last
		p.dl[last].freePos = d.freePos
		p.freeList = p.freeList[:len(p.freeList)-1]
		d.freePos = -1
	}
}

// placeInOrder inserts or moves a wanted, unstarted piece to the bucket of
// its current priority and availability, growing the buckets if needed.
func (p *Picker) placeInOrder(piece int) {
	if int(p.avail[piece]) >= p.order.stride {
		stride := p.order.stride
		for int(p.avail[piece]) >= stride {
			stride *= 2
		}
		p.order.rebuild(stride, func(pc int) int { return p.order.key(p.prio[pc], p.avail[pc]) })
	}
	b := p.order.key(p.prio[piece], p.avail[piece])
	if p.order.has(piece) {
		p.order.move(piece, b)
	} else {
		p.order.insert(piece, b)
	}
}

// adjustInterest adds delta to the interest count of every non-seed peer
// that has piece (seeds derive interest from IsComplete).
func (p *Picker) adjustInterest(piece, delta int) {
	for _, ps := range p.peers {
		if !ps.seed && ps.bits.has(piece) {
			ps.interesting += delta
		}
	}
}
