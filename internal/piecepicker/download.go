package piecepicker

import "slices"

// maxHolders is how many peers may have the same block requested at once;
// more than one only happens in end game.
const maxHolders = 2

// blockState is the request state of one block of a piece being
// downloaded. A block is free when it has no holder and is not received.
type blockState struct {
	holders  [maxHolders]PeerKey
	slot     [maxHolders]int32 // index of the block in holders[i]'s out list
	n        uint8             // number of holders
	received bool
	hasFrom  bool
	from     PeerKey // peer whose data we kept, for PieceFailed
}

// dlPiece is a piece with at least one block requested or received.
type dlPiece struct {
	blocks   []blockState
	free     int // blocks neither requested nor received
	received int
	// firstFree is a lower bound on the index of the first free block, so
	// that repeated picks from one piece do not rescan taken blocks.
	firstFree int
	dlPos     int32 // index in Picker.dlList
	freePos   int32 // index in Picker.freeList, -1 if absent
}

func (d *dlPiece) holderIndex(blk int, peer PeerKey) int {
	bs := &d.blocks[blk]
	for j := 0; j < int(bs.n); j++ {
		if bs.holders[j] == peer {
			return j
		}
	}
	return -1
}

// blockKey packs a block address for a peer's outstanding list.
func blockKey(piece, blk int) uint64 { return uint64(piece)<<32 | uint64(uint32(blk)) }

func splitKey(k uint64) (piece, blk int) { return int(k >> 32), int(uint32(k)) }

// start moves piece from the order to the downloading set.
func (p *Picker) start(piece int) *dlPiece {
	p.order.remove(piece)
	n := p.BlocksInPiece(piece)
	var d *dlPiece
	if k := len(p.spare); k > 0 {
		d = p.spare[k-1]
		p.spare = p.spare[:k-1]
	} else {
		d = &dlPiece{}
	}
	if cap(d.blocks) < n {
		d.blocks = make([]blockState, n)
	} else {
		d.blocks = d.blocks[:n]
		clear(d.blocks)
	}
	d.free, d.received, d.firstFree = n, 0, 0
	d.freePos = -1
	d.dlPos = int32(len(p.dlList))
	p.dlList = append(p.dlList, int32(piece))
	p.dl[piece] = d
	return d
}

// release ends the download state of piece (which must hold no requests)
// and re-places it (back into the order if still wanted).
func (p *Picker) release(piece int) {
	d := p.dl[piece]
	if d.freePos >= 0 {
		d.free = 0 // make refresh drop it from freeList
		p.refresh(piece)
	}
	last := p.dlList[len(p.dlList)-1]
	p.dlList[d.dlPos] = last
	p.dl[last].dlPos = d.dlPos
	p.dlList = p.dlList[:len(p.dlList)-1]
	p.dl[piece] = nil
	p.spare = append(p.spare, d)
	p.refresh(piece)
}

// addHolder records that peer requested block blk of piece.
func (p *Picker) addHolder(peer PeerKey, ps *peerState, piece int, d *dlPiece, blk int) {
	bs := &d.blocks[blk]
	if bs.n == 0 && !bs.received {
		d.free--
	}
	bs.holders[bs.n] = peer
	bs.slot[bs.n] = int32(len(ps.out))
	bs.n++
	ps.out = append(ps.out, blockKey(piece, blk))
}

// removeHolder drops holder j of a block from the block and from that
// peer's outstanding list (swap-remove, fixing the moved entry's slot).
// It does not update the free count.
func (p *Picker) removeHolder(d *dlPiece, blk, j int) {
	bs := &d.blocks[blk]
	peer := bs.holders[j]
	ps := p.peers[peer]
	idx := bs.slot[j]
	last := len(ps.out) - 1
	if int(idx) != last {
		moved := ps.out[last]
		ps.out[idx] = moved
		mp, mb := splitKey(moved)
		md := p.dl[mp]
		if k := md.holderIndex(mb, peer); k >= 0 {
			md.blocks[mb].slot[k] = idx
		}
	}
	ps.out = ps.out[:last]
	for k := j; k+1 < int(bs.n); k++ {
		bs.holders[k], bs.slot[k] = bs.holders[k+1], bs.slot[k+1]
	}
	bs.n--
}

// dropAllHolders removes every request for blocks of piece.
func (p *Picker) dropAllHolders(piece int, d *dlPiece) {
	for blk := range d.blocks {
		for d.blocks[blk].n > 0 {
			p.removeHolder(d, blk, int(d.blocks[blk].n)-1)
			if d.blocks[blk].n == 0 && !d.blocks[blk].received {
				d.free++
				d.firstFree = min(d.firstFree, blk)
			}
		}
	}
}

// cancelBlock removes peer's request for a block, freeing the block when
// nobody else holds it and releasing the piece when nothing of it is
// requested or received any more.
func (p *Picker) cancelBlock(peer PeerKey, ps *peerState, piece, blk int) {
	d := p.dl[piece]
	if d == nil {
		return
	}
	j := d.holderIndex(blk, peer)
	if j < 0 {
		return
	}
	p.removeHolder(d, blk, j)
	if d.blocks[blk].n == 0 && !d.blocks[blk].received {
		d.free++
		d.firstFree = min(d.firstFree, blk)
	}
	if d.free == len(d.blocks) {
		p.release(piece)
		return
	}
	p.refresh(piece)
}

// Cancel aborts peer's request for b (choke, cancel, timeout, reject). It
// is a no-op if b is not requested from peer.
func (p *Picker) Cancel(peer PeerKey, b Block) {
	blk, ok := p.blockIndex(b)
	ps := p.peers[peer]
	if !ok || ps == nil {
		return
	}
	p.cancelBlock(peer, ps, b.Piece, blk)
}

// BlockReceived records that the data of b arrived from peer. ok is false
// (and nothing changes) if b was not requested from peer or was already
// received. others are the other peers that had b requested: their
// requests are dropped and the caller should send them CANCEL. pieceDone
// is true when this completes the piece, which the caller should hash.
func (p *Picker) BlockReceived(peer PeerKey, b Block) (ok bool, others []PeerKey, pieceDone bool) {
	blk, valid := p.blockIndex(b)
	if !valid {
		return false, nil, false
	}
	d := p.dl[b.Piece]
	if d == nil || d.blocks[blk].received {
		return false, nil, false
	}
	j := d.holderIndex(blk, peer)
	if j < 0 {
		return false, nil, false
	}
	bs := &d.blocks[blk]
	for k := int(bs.n) - 1; k >= 0; k-- {
		if bs.holders[k] != peer {
			others = append(others, bs.holders[k])
		}
		p.removeHolder(d, blk, k)
	}
	bs.received = true
	bs.hasFrom, bs.from = true, peer
	d.received++
	return true, others, d.received == len(d.blocks)
}

// PiecePassed records that piece hashed correctly; it is SetHave.
func (p *Picker) PiecePassed(piece int) { p.SetHave(piece) }

// PieceFailed records that piece failed its hash check: every block of it
// becomes free again and the peers that sent its blocks are returned
// (sorted, without duplicates) for the caller's ban logic.
func (p *Picker) PieceFailed(piece int) []PeerKey {
	if !p.validPiece(piece) || p.dl[piece] == nil {
		return nil
	}
	d := p.dl[piece]
	var peers []PeerKey
	for i := range d.blocks {
		if bs := &d.blocks[i]; bs.hasFrom {
			peers = appendUnique(peers, bs.from)
		}
	}
	p.dropAllHolders(piece, d)
	p.release(piece)
	slices.Sort(peers)
	return peers
}

func appendUnique(s []PeerKey, k PeerKey) []PeerKey {
	for _, x := range s {
		if x == k {
			return s
		}
	}
	return append(s, k)
}

// Outstanding returns the blocks requested from peer and not yet received,
// sorted by piece and offset.
func (p *Picker) Outstanding(peer PeerKey) []Block {
	ps := p.peers[peer]
	if ps == nil || len(ps.out) == 0 {
		return nil
	}
	keys := make([]uint64, len(ps.out))
	copy(keys, ps.out)
	slices.Sort(keys)
	out := make([]Block, len(keys))
	for i, k := range keys {
		piece, blk := splitKey(k)
		out[i] = p.block(piece, blk)
	}
	return out
}

// NumOutstanding returns how many blocks are requested from peer.
func (p *Picker) NumOutstanding(peer PeerKey) int {
	if ps := p.peers[peer]; ps != nil {
		return len(ps.out)
	}
	return 0
}

// PieceBlocksReceived returns how many blocks of piece have been received
// and not yet passed or failed (0 for pieces not being downloaded).
func (p *Picker) PieceBlocksReceived(piece int) int {
	if !p.validPiece(piece) || p.dl[piece] == nil {
		return 0
	}
	return p.dl[piece].received
}

// IsBlockReceived reports whether the data of b has been received for a
// piece being downloaded (false once the piece passed or failed).
func (p *Picker) IsBlockReceived(b Block) bool {
	blk, ok := p.blockIndex(b)
	if !ok || p.dl[b.Piece] == nil {
		return false
	}
	return p.dl[b.Piece].blocks[blk].received
}
