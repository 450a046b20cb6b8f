package piecepicker

// PickAllowed picks up to max blocks for peer from the given pieces only:
// a peer that chokes us still serves the pieces it allowed us (BEP 6's
// allowed-fast set), so while choked we may ask for those and nothing else.
// Pieces the peer lacks, we have, or do not want are skipped; a piece being
// downloaded gives its free blocks first, as Pick would.
func (p *Picker) PickAllowed(peer PeerKey, allowed []int, max int) []Block {
	ps := p.peers[peer]
	if ps == nil || max <= 0 {
		return nil
	}
	var out []Block
	for _, piece := range allowed {
		if len(out) >= max {
			break
		}
		if piece < 0 || piece >= p.numPieces || !ps.hasPiece(piece) || !p.wanted(piece) {
			continue
		}
		if d := p.dl[piece]; d != nil {
			if d.free > 0 {
				out = p.takeFree(peer, ps, piece, max, out)
			}
			continue
		}
		if p.order.has(piece) {
			p.start(piece)
			out = p.takeFree(peer, ps, piece, max, out)
		}
	}
	return out
}
