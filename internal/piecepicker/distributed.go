package piecepicker

// DistributedCopies is libtorrent's piece_picker::distributed_copies: how
// many complete copies of the torrent the connected peers and we hold.
// full is the availability of the rarest piece (ours counted, seeds
// included); thousandths is the share of pieces more available than that,
// in thousandths: 2 full copies and half the pieces on a third peer is
// (2, 500). An empty torrent is one copy.
func (p *Picker) DistributedCopies() (full, thousandths int) {
	if p.numPieces == 0 {
		return 1, 0
	}
	least, atLeast, above := int32(-1), 0, 0
	for i, n := range p.avail {
		if p.have.Has(i) {
			n++ // ourselves
		}
		switch {
		case least < 0 || n < least:
			above += atLeast
			least, atLeast = n, 1
		case n == least:
			atLeast++
		default:
			above++
		}
	}
	return int(least) + p.numSeeds, above * 1000 / p.numPieces
}
