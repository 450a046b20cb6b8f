package piecepicker

import (
	"math/bits"

	"github.com/actorrent/actorrent/internal/bitfield"
)

// peerState is what the picker knows about one connection.
type peerState struct {
	// seed peers have every piece; they are counted in Picker.numSeeds
	// instead of per-piece availability, because adding the same amount to
	// every piece does not change the rarest-first order.
	seed        bool
	bits        bitset // pieces of a non-seed peer
	count       int    // pieces in bits
	interesting int    // pieces in bits that are wanted and not had
	out         []uint64
}

func (ps *peerState) hasPiece(piece int) bool { return ps.seed || ps.bits.has(piece) }

func (p *Picker) peer(peer PeerKey) *peerState {
	ps := p.peers[peer]
	if ps == nil {
		ps = &peerState{bits: newBitset(p.numPieces)}
		p.peers[peer] = ps
	}
	return ps
}

// changeAvail adds delta to the non-seed availability of piece and keeps
// the order's buckets in step.
func (p *Picker) changeAvail(piece int, delta int32) {
	p.avail[piece] += delta
	if p.order.has(piece) {
		p.placeInOrder(piece)
	}
}

// forgetPieces removes the peer's contribution to availability.
func (p *Picker) forgetPieces(ps *peerState) {
	if ps.seed {
		ps.seed = false
		p.numSeeds--
		return
	}
	ps.bits.each(func(i int) { p.changeAvail(i, -1) })
	ps.bits.clear()
	ps.count = 0
	ps.interesting = 0
}

// addPiece records that a non-seed peer has piece.
func (p *Picker) addPiece(ps *peerState, piece int) {
	ps.bits.set(piece)
	ps.count++
	if p.wanted(piece) {
		ps.interesting++
	}
	p.changeAvail(piece, 1)
}

func (p *Picker) makeSeed(ps *peerState) {
	p.forgetPieces(ps)
	ps.seed = true
	p.numSeeds++
}

// PeerBitfield replaces what we knew of the peer's pieces with bf. Bits
// beyond NumPieces are ignored and missing ones count as not had.
func (p *Picker) PeerBitfield(peer PeerKey, bf bitfield.Bitfield) {
	ps := p.peer(peer)
	if p.numPieces > 0 && bf.Len() == p.numPieces && bf.All() {
		p.makeSeed(ps)
		return
	}
	p.forgetPieces(ps)
	raw := bf.Bytes()
	for bi, x := range raw {
		for x != 0 {
			// Wire order: bit 0 is the high bit of byte 0.
			hi := bits.LeadingZeros8(x)
			i := bi*8 + hi
			x &^= 0x80 >> uint(hi)
			if i < p.numPieces {
				p.addPiece(ps, i)
			}
		}
	}
}

// PeerHave records that the peer has piece (a HAVE message).
func (p *Picker) PeerHave(peer PeerKey, piece int) {
	if !p.validPiece(piece) {
		return
	}
	ps := p.peer(peer)
	if ps.hasPiece(piece) {
		return
	}
	p.addPiece(ps, piece)
	if ps.count == p.numPieces {
		p.makeSeed(ps)
	}
}

// PeerIsSeed reports whether the peer has every piece, by its bitfield,
// have_all or its HAVEs.
func (p *Picker) PeerIsSeed(peer PeerKey) bool {
	ps := p.peers[peer]
	return ps != nil && ps.seed
}

// PeerHaveAll records that the peer has every piece (HAVE ALL or a
// complete bitfield).
func (p *Picker) PeerHaveAll(peer PeerKey) {
	ps := p.peer(peer)
	if !ps.seed {
		p.makeSeed(ps)
	}
}

// PeerRemoved forgets the peer: its pieces no longer count towards
// availability and its outstanding requests become free again.
func (p *Picker) PeerRemoved(peer PeerKey) {
	ps := p.peers[peer]
	if ps == nil {
		return
	}
	for len(ps.out) > 0 {
		key := ps.out[len(ps.out)-1]
		piece, blk := splitKey(key)
		p.cancelBlock(peer, ps, piece, blk)
	}
	p.forgetPieces(ps)
	delete(p.peers, peer)
}

// Availability returns how many known peers have piece.
func (p *Picker) Availability(piece int) int {
	if !p.validPiece(piece) {
		return 0
	}
	return int(p.avail[piece]) + p.numSeeds
}

// PeerHasPiece reports whether the peer is known to have piece.
func (p *Picker) PeerHasPiece(peer PeerKey, piece int) bool {
	ps := p.peers[peer]
	return ps != nil && p.validPiece(piece) && ps.hasPiece(piece)
}

// IsInteresting reports whether the peer has a wanted piece we lack.
func (p *Picker) IsInteresting(peer PeerKey) bool {
	ps := p.peers[peer]
	if ps == nil {
		return false
	}
	if ps.seed {
		return !p.IsComplete()
	}
	return ps.interesting > 0
}
