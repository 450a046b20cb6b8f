package piecepicker

// Policy is the torrent-wide part of how Pick chooses, from the session's
// settings (libtorrent's picker options and request_a_block). The zero
// Policy picks rarest first from the first piece, partial pieces first,
// keeps the end game strict and never switches to sequential by itself.
type Policy struct {
	// RandomBelow (initial_picker_threshold): while we have fewer pieces
	// than this, new pieces are picked at random (within the highest
	// priority a peer offers) rather than rarest first. A first piece
	// completes sooner when peers do not all crowd the same rare pieces,
	// and we have something to trade with early.
	RandomBelow int
	// LooseEndGame (strict_end_game_mode off): a peer with no request
	// outstanding and no free block to offer may be given one block that
	// another peer has outstanding, even before every piece is requested;
	// strict, that waits for the end game (InEndGame).
	LooseEndGame bool
	// AutoSequential (auto_sequential): with at least ten seeds among the
	// peers and ten times as many seeds as other peers, the swarm is well
	// seeded and pieces are picked in index order (better for the disk).
	AutoSequential bool
	// PartialsByRarity (prioritize_partial_pieces off): partial pieces
	// compete with new ones by priority and rarity instead of being
	// finished first (partials.go).
	PartialsByRarity bool
}

// SetPolicy sets the picking policy.
func (p *Picker) SetPolicy(pol Policy) { p.policy = pol }

// PickingSequentially reports whether Pick goes in index order now: the
// user's sequential download, or AutoSequential in a well-seeded swarm.
func (p *Picker) PickingSequentially() bool {
	return p.modes.sequential || p.policy.AutoSequential && p.wellSeeded()
}

// wellSeeded is libtorrent's auto-sequential test (update_auto_sequential):
// at least ten peers, more than nine of them seeds, and at most a tenth as
// many downloaders as seeds.
func (p *Picker) wellSeeded() bool {
	seeds := p.numSeeds
	downloaders := len(p.peers) - seeds
	return len(p.peers) >= 10 && seeds > 9 && downloaders*10 <= seeds
}

// pickRandom starts new pieces at random: within each priority level
// from the highest, a walk over that level's pieces from a random place,
// as libtorrent's random pick walks the pieces from a random index.
func (p *Picker) pickRandom(peer PeerKey, ps *peerState, max int, out []Block) []Block {
	need := max - len(out)
	c := p.cand[:0]
	o := &p.order
	blocks := 0
	for level := MaxPriority; level >= 1 && blocks < need; level-- {
		s, e := int(o.start[o.key(uint8(level), 0)]), int(o.start[o.key(uint8(level), 0)+o.stride])
		if s == e {
			continue
		}
		n := e - s
		r := p.rng.IntN(n)
		for k := 0; k < n && blocks < need; k++ {
			if pc := int(o.pieces[s+(r+k)%n]); ps.hasPiece(pc) {
				c = append(c, candidate{piece: int32(pc)})
				blocks += p.BlocksInPiece(pc)
			}
		}
	}
	for _, cd := range c { // started only now: starting one reshuffles the order
		p.start(int(cd.piece))
		out = p.takeFree(peer, ps, int(cd.piece), max, out)
	}
	p.cand = c[:0]
	return out
}
