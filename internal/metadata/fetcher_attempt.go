package metadata

import "time"

// An attempt is one pass at assembling the metadata from the peers of one
// size group. This file decides which group, and who within it, is asked.

// chooseAttempt picks the size group and mode for the next requests.
func (f *Fetcher) chooseAttempt(now time.Time) {
	if f.size != 0 && f.groupSize(f.size, time.Time{}) == 0 {
		f.reset(0) // every peer of this size left or was convicted
	}
	// Stalled: nobody of this size can be asked now and nothing is in
	// flight, but another group has peers ready. Their size may be the true
	// one (a liar, or a peer that only rejects, may have set ours).
	if f.size != 0 && f.inFlight == 0 && f.groupSize(f.size, now) == 0 {
		if s := f.largestGroup(now); s != 0 {
			f.reset(s)
		}
	}
	if f.size == 0 {
		if s := f.largestGroup(time.Time{}); s != 0 {
			f.reset(s)
		}
		if f.size == 0 {
			return
		}
	}
	f.chooseMode()
}

// chooseMode keeps a running single-source attempt; otherwise, if every
// peer of the group is a suspect, starts one with the earliest of them,
// discarding pieces others sent so that its result says something about it
// alone.
func (f *Fetcher) chooseMode() {
	if f.soloOn {
		return
	}
	for _, k := range f.order {
		if p := f.peers[k]; p.size == f.size && !p.suspect {
			return // mixed mode with the unsuspected peers
		}
	}
	for _, k := range f.order {
		if f.peers[k].size != f.size {
			continue
		}
		f.solo, f.soloOn = k, true
		for i := range f.pieces {
			pc := &f.pieces[i]
			if pc.data != nil && pc.from != k {
				pc.data = nil
				f.have--
			}
			if pc.asking && pc.askedOf != k {
				// Free the piece for the solo peer now; a late answer
				// still reaches the history through asked.
				pc.asking = false
				f.peers[pc.askedOf].inFlight--
				f.inFlight--
			}
		}
		return
	}
}

// groupSize counts peers advertising size; with a non-zero now, only those
// that may be asked at now.
func (f *Fetcher) groupSize(size int64, now time.Time) int {
	n := 0
	for _, k := range f.order {
		p := f.peers[k]
		if p.size == size && (now.IsZero() || !p.notBefore.After(now)) {
			n++
		}
	}
	return n
}

// largestGroup returns the size most peers advertise (counting only those
// ready at now, if now is non-zero); ties go to the earliest peer's size.
// 0 if there is no peer.
func (f *Fetcher) largestGroup(now time.Time) int64 {
	var best int64
	bestN := 0
	for _, k := range f.order {
		s := f.peers[k].size
		if n := f.groupSize(s, now); n > bestN {
			best, bestN = s, n
		}
	}
	return best
}

// reset starts a new attempt for size (0: none yet). Requests in flight
// are forgotten, so their answers will be ignored; history survives unless
// the size changes, since pieces of another size say nothing about these.
func (f *Fetcher) reset(size int64) {
	if size != f.size {
		clear(f.history)
	}
	f.size = size
	f.pieces = nil
	if size > 0 {
		f.pieces = make([]fetchPiece, numPieces(size))
	}
	f.have, f.inFlight = 0, 0
	f.soloOn = false
	for _, p := range f.peers {
		clear(p.asked)
		p.inFlight = 0
	}
}
