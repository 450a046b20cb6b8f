package metadata

import (
	"crypto/sha1"
	"slices"
	"time"
)

// OnData takes a data message from peer k. Pieces nobody asked k for are
// ignored (libtorrent does the same), as is a piece already received from
// someone else, though it is remembered to judge k once the metadata is
// verified. A total_size other than the size being fetched, or a piece of
// the wrong length, convicts k at once.
func (f *Fetcher) OnData(k PeerKey, m Message) Outcome {
	p := f.peers[k]
	if f.completed || p == nil || m.Type != MsgData || !p.asked[m.Piece] {
		return Outcome{}
	}
	delete(p.asked, m.Piece)
	f.answered(k, p, m.Piece)
	if m.TotalSize != f.size || len(m.Data) != pieceLen(f.size, m.Piece) {
		return Outcome{Drop: f.convict([]PeerKey{k})}
	}
	f.history[contribution{k, m.Piece}] = sha1.Sum(m.Data)
	pc := &f.pieces[m.Piece]
	if pc.data != nil || !f.eligible(k, p) {
		// Already in, or k was asked before a single-source attempt
		// began: only the history keeps it.
		return Outcome{}
	}
	pc.data, pc.from = slices.Clone(m.Data), k
	f.have++
	if f.have < len(f.pieces) {
		return Outcome{}
	}
	return f.verify()
}

// OnReject takes a reject from peer k: the piece goes to another peer and k
// is asked nothing for RejectBackoff.
func (f *Fetcher) OnReject(k PeerKey, piece int, now time.Time) {
	p := f.peers[k]
	if f.completed || p == nil || !p.asked[piece] {
		return
	}
	delete(p.asked, piece)
	f.answered(k, p, piece)
	p.notBefore = later(p.notBefore, now.Add(f.cfg.RejectBackoff))
}

// answered closes k's in-flight request for piece, if it is still open
// (it may have timed out and gone to another peer).
func (f *Fetcher) answered(k PeerKey, p *fetchPeer, piece int) {
	if pc := &f.pieces[piece]; pc.asking && pc.askedOf == k {
		pc.asking = false
		p.inFlight--
		f.inFlight--
	}
}

// verify checks the assembled pieces against the info-hash.
func (f *Fetcher) verify() Outcome {
	buf := make([]byte, 0, f.size)
	for i := range f.pieces {
		buf = append(buf, f.pieces[i].data...)
	}
	if sha1.Sum(buf) == f.infoHash {
		return f.succeed(buf)
	}
	var contributors []PeerKey
	for i := range f.pieces {
		if k := f.pieces[i].from; !slices.Contains(contributors, k) {
			contributors = append(contributors, k)
		}
	}
	slices.Sort(contributors)
	out := Outcome{Restarted: true, Contributors: contributors}
	if len(contributors) == 1 {
		out.Drop = f.convict(contributors)
	} else {
		for _, k := range contributors {
			if p := f.peers[k]; p != nil {
				p.suspect = true
			}
		}
	}
	f.reset(f.size)
	return out
}

// succeed keeps the verified metadata and convicts every peer whose
// pieces, in any attempt, differ from it.
func (f *Fetcher) succeed(info []byte) Outcome {
	var liars []PeerKey
	for c, sum := range f.history {
		off := int64(c.piece) * PieceSize
		good := info[off : off+int64(pieceLen(f.size, c.piece))]
		if sha1.Sum(good) != sum && !slices.Contains(liars, c.peer) {
			liars = append(liars, c.peer)
		}
	}
	slices.Sort(liars)
	out := Outcome{Done: true, Drop: f.convict(liars)}
	f.info, f.completed = info, true
	f.pieces, f.history = nil, nil
	f.inFlight = 0
	return out
}

// convict bans ks and removes them, returning those that were connected.
func (f *Fetcher) convict(ks []PeerKey) []PeerKey {
	var drop []PeerKey
	for _, k := range ks {
		f.banned[k] = true
		if _, ok := f.peers[k]; ok {
			drop = append(drop, k)
			f.RemovePeer(k)
		}
	}
	return drop
}
