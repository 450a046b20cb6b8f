package piecepicker

import "slices"

// BlockState is a block's state in DownloadQueue (libtorrent's
// block_info::block_state_t values).
type BlockState uint8

const (
	BlockNone      BlockState = 0 // not requested
	BlockRequested BlockState = 1 // requested from Peers
	BlockFinished  BlockState = 3 // received (written or in the write cache)
)

// QueueBlock is one block of a piece being downloaded.
type QueueBlock struct {
	State BlockState
	// Peer is the peer the block came from (received) or the first it is
	// requested from; NumPeers how many it is requested from.
	Peer     PeerKey
	NumPeers int
}

// PartialPiece is a piece being downloaded (libtorrent's
// partial_piece_info).
type PartialPiece struct {
	Piece                        int
	Blocks                       []QueueBlock
	Finished, Requested, Writing int
}

// DownloadQueue returns the pieces being downloaded, by index, with the
// state of each block.
func (p *Picker) DownloadQueue() []PartialPiece {
	out := make([]PartialPiece, 0, len(p.dlList))
	for _, pc := range p.dlList {
		d := p.dl[pc]
		pp := PartialPiece{Piece: int(pc), Blocks: make([]QueueBlock, len(d.blocks))}
		for i := range d.blocks {
			bs := &d.blocks[i]
			qb := &pp.Blocks[i]
			switch {
			case bs.received:
				qb.State = BlockFinished
				if bs.hasFrom {
					qb.Peer, qb.NumPeers = bs.from, 1
				}
				pp.Finished++
			case bs.n > 0:
				qb.State, qb.Peer, qb.NumPeers = BlockRequested, bs.holders[0], int(bs.n)
				pp.Requested++
			}
		}
		out = append(out, pp)
	}
	slices.SortFunc(out, func(a, b PartialPiece) int { return a.Piece - b.Piece })
	return out
}
