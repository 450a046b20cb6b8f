// Package superseed decides super seeding (BEP 16) as libtorrent 2.0 does:
// a seed that pretends to have nothing and tells each peer about one piece
// at a time, the piece the swarm has least, so that every piece it uploads
// is a new one for the swarm. The torrent actor feeds it the swarm's events
// and applies its decisions (Reveal: send a peer a HAVE; the pieces the peer
// may request); the package keeps no time of its own and starts nothing.
package superseed

import (
	"slices"
	"time"
)

// PeerKey names a connection (the torrent's peer key).
type PeerKey uint64

// None is no piece.
const None = -1

// UninterestedWait is how long a peer stays not interested in us before it
// is told of more pieces: the ones it was told of may not be what it
// wants, or it has them and did not say so (libtorrent's second_tick
// rule, 10 s).
const UninterestedWait = 10 * time.Second

// slotsPerPeer is how many pieces a peer may request at once: libtorrent
// keeps two super-seeded pieces per connection and reveals both when the
// peer connects.
const slotsPerPeer = 2

// revealedCost is the availability a piece revealed to some peer counts
// as when choosing the next one: another peer gets it only when every
// other piece it lacks is revealed too (libtorrent's 999).
const revealedCost = 999

// Swarm is what the seeder reads of the swarm: the torrent's piece picker,
// which follows every peer's bitfield and HAVEs.
type Swarm interface {
	// Availability is how many connected peers have piece.
	Availability(piece int) int
	// PeerHasPiece: peer said it has piece.
	PeerHasPiece(peer PeerKey, piece int) bool
}

// Reveal is a decision for one peer: send it a HAVE for Piece (None: no
// message, only its allowed pieces changed); Allowed are the pieces it may
// request from now on (None in an empty slot), newest first.
type Reveal struct {
	Peer    PeerKey
	Piece   int
	Allowed [slotsPerPeer]int
}

// peerState is one connection's super-seeding state.
type peerState struct {
	slots      [slotsPerPeer]int // newest first
	interested bool
	idleSince  time.Time // when it connected or last became not interested
}

// Seeder is a torrent's super seeding. It is not safe for concurrent use.
type Seeder struct {
	numPieces int
	strict    bool
	peers     map[PeerKey]*peerState
	revealed  []int32 // per piece: how many peers have it in a slot
	intn      func(n int) int
}

// New returns a seeder for a torrent of numPieces pieces. intn(n) returns
// a number in [0, n): ties between equally rare pieces are broken with it
// (rand.IntN; a fixed function in tests).
func New(numPieces int, intn func(n int) int) *Seeder {
	return &Seeder{numPieces: numPieces, peers: map[PeerKey]*peerState{}, revealed: make([]int32, numPieces), intn: intn}
}

// SetStrict sets strict_super_seeding: a peer gets its next piece only
// when another peer announces the one it got (the piece was forwarded),
// not when it announces it itself.
func (s *Seeder) SetStrict(on bool) { s.strict = on }

// Allowed is what peer may request now (None in an empty slot).
func (s *Seeder) Allowed(peer PeerKey) [slotsPerPeer]int {
	if p := s.peers[peer]; p != nil {
		return p.slots
	}
	return [slotsPerPeer]int{None, None}
}

// IsAllowed reports whether peer was told of piece and may request it.
func (s *Seeder) IsAllowed(peer PeerKey, piece int) bool {
	p := s.peers[peer]
	return p != nil && piece != None && slices.Contains(p.slots[:], piece)
}

// Connected starts super seeding to a peer, interested in us or not: it
// is told of two pieces (libtorrent's write_bitfield, before the peer's
// own bitfield is known). A peer already known keeps its pieces.
func (s *Seeder) Connected(sw Swarm, peer PeerKey, interested bool, now time.Time) []Reveal {
	if s.peers[peer] != nil {
		return nil
	}
	p := &peerState{slots: [slotsPerPeer]int{None, None}, interested: interested, idleSince: now}
	s.peers[peer] = p
	var out []Reveal
	for range slotsPerPeer {
		if r, ok := s.replace(sw, peer, p, None); ok {
			out = append(out, r)
		}
	}
	return out
}

// Removed forgets a peer; its pieces become free for others.
func (s *Seeder) Removed(peer PeerKey) {
	p := s.peers[peer]
	if p == nil {
		return
	}
	for _, piece := range p.slots {
		s.count(piece, -1)
	}
	delete(s.peers, peer)
}

// Bitfield: the peer told us all it has. A piece revealed to it that it
// had already is replaced (an addition to libtorrent, which revealed them
// before the bitfield came and left them to the uninterested rule): the
// peer cannot forward what it did not get from us.
func (s *Seeder) Bitfield(sw Swarm, peer PeerKey) []Reveal {
	p := s.peers[peer]
	if p == nil {
		return nil
	}
	var out []Reveal
	for _, piece := range p.slots {
		if piece != None && sw.PeerHasPiece(peer, piece) {
			if r, ok := s.replace(sw, peer, p, piece); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// Have: peer announced piece (the swarm already counts it). Without
// strict, a peer that announces a piece revealed to it gets the next one.
// With strict, a piece counts as forwarded when a peer announces it that
// was not told of it (or the peer is the only one): every peer told of it
// that has it gets its next piece (libtorrent's incoming_have).
func (s *Seeder) Have(sw Swarm, peer PeerKey, piece int) []Reveal {
	p := s.peers[peer]
	if p == nil || piece < 0 || piece >= s.numPieces {
		return nil
	}
	if !s.strict {
		if !s.IsAllowed(peer, piece) {
			return nil
		}
		if r, ok := s.replace(sw, peer, p, piece); ok {
			return []Reveal{r}
		}
		return nil
	}
	if s.IsAllowed(peer, piece) && len(s.peers) > 1 {
		return nil
	}
	var out []Reveal
	for _, k := range s.sortedPeers() {
		if q := s.peers[k]; s.IsAllowed(k, piece) && sw.PeerHasPiece(k, piece) {
			if r, ok := s.replace(sw, k, q, piece); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// Interest records whether peer is interested in us.
func (s *Seeder) Interest(peer PeerKey, interested bool, now time.Time) {
	p := s.peers[peer]
	if p == nil || p.interested == interested {
		return
	}
	p.interested = interested
	if !interested {
		p.idleSince = now
	}
}

// Tick (each second): a peer not interested in us for UninterestedWait
// is told of one more piece at each tick (the oldest it was told of makes
// room), as libtorrent's second_tick. A peer that does not send HAVEs for
// pieces we have (no send_redundant_have) moves on this way.
func (s *Seeder) Tick(sw Swarm, now time.Time) []Reveal {
	var out []Reveal
	for _, k := range s.sortedPeers() {
		p := s.peers[k]
		if p.interested || now.Sub(p.idleSince) < UninterestedWait {
			continue
		}
		if r, ok := s.replace(sw, k, p, None); ok {
			out = append(out, r)
		}
	}
	return out
}

// Peers are the peers being super seeded to, in key order.
func (s *Seeder) Peers() []PeerKey { return s.sortedPeers() }

func (s *Seeder) sortedPeers() []PeerKey {
	keys := make([]PeerKey, 0, len(s.peers))
	for k := range s.peers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
