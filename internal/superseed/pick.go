package superseed

// pick is the piece to reveal to peer next (libtorrent's
// get_piece_to_super_seed): among the pieces it lacks and was not told
// of already (libtorrent may tell a peer of a piece twice), the one fewest
// connected peers have, a piece revealed to anyone counting as
// revealedCost; ties are broken at random. None when it lacks nothing.
func (s *Seeder) pick(sw Swarm, peer PeerKey, p *peerState) int {
	best := revealedCost + 1
	var ties []int
	for i := range s.numPieces {
		if sw.PeerHasPiece(peer, i) || i == p.slots[0] || i == p.slots[1] {
			continue
		}
		a := revealedCost
		if s.revealed[i] == 0 {
			a = min(sw.Availability(i), revealedCost-1)
		}
		switch {
		case a < best:
			best, ties = a, append(ties[:0], i)
		case a == best:
			ties = append(ties, i)
		}
	}
	if len(ties) == 0 {
		return None
	}
	return ties[s.intn(len(ties))]
}

// replace reveals the next piece to peer in place of old (None: the
// oldest slot makes room), libtorrent's superseed_piece. With nothing new
// to tell, old only makes room.
func (s *Seeder) replace(sw Swarm, peer PeerKey, p *peerState, old int) (Reveal, bool) {
	next := s.pick(sw, peer, p)
	before := p.slots
	if old != None && p.slots[0] == old {
		p.slots[0], p.slots[1] = p.slots[1], p.slots[0] // old moves to the tail, which goes
	}
	if next == None {
		// Nothing new to tell: old only makes room.
		if old != None && p.slots[1] == old {
			p.slots[1] = None
		}
		next = None
	} else {
		p.slots[1], p.slots[0] = p.slots[0], next
	}
	if before == p.slots {
		return Reveal{}, false
	}
	for _, piece := range before {
		s.count(piece, -1)
	}
	for _, piece := range p.slots {
		s.count(piece, +1)
	}
	return Reveal{Peer: peer, Piece: next, Allowed: p.slots}, true
}

// count adds d to the number of peers piece is revealed to.
func (s *Seeder) count(piece int, d int32) {
	if piece != None {
		s.revealed[piece] += d
	}
}
