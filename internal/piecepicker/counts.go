package piecepicker

// Counts that policies above the picker (share mode) decide with.

// NumDownloading is how many pieces are in the download queue (started
// and not yet had), libtorrent's get_download_queue_size.
func (p *Picker) NumDownloading() int { return len(p.dlList) }

// Downloading reports whether piece is in the download queue.
func (p *Picker) Downloading(piece int) bool { return p.validPiece(piece) && p.dl[piece] != nil }

// PeerNumHave is how many pieces the peer has (0 for a peer the picker
// does not know).
func (p *Picker) PeerNumHave(peer PeerKey) int {
	ps := p.peers[peer]
	switch {
	case ps == nil:
		return 0
	case ps.seed:
		return p.numPieces
	}
	return ps.count
}
