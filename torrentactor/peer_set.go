package torrentactor

import (
	"iter"
	"maps"
	"slices"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// peerSet is the torrent's connections: one peerInfo per peer actor, found
// by its key (what the peer's messages carry) or its PID (what Terminated
// and ChildFailed carry). Keys grow with each connection, so key order is
// age order. The maps are made with the first peer: an idle torrent holds
// none.
type peerSet struct {
	byKey   map[messages.PeerKey]*peerInfo
	byPID   map[string]messages.PeerKey
	lastKey messages.PeerKey
}

// newKey is the key of the next connection.
func (s *peerSet) newKey() messages.PeerKey {
	s.lastKey++
	return s.lastKey
}

// add records a peer actor.
func (s *peerSet) add(p *peerInfo) {
	if s.byKey == nil {
		s.byKey, s.byPID = map[messages.PeerKey]*peerInfo{}, map[string]messages.PeerKey{}
	}
	s.byKey[p.key] = p
	s.byPID[p.pid.Id] = p.key
}

// get is the peer with key k, nil when there is none.
func (s *peerSet) get(k messages.PeerKey) *peerInfo { return s.byKey[k] }

// ofPID is the peer whose actor is pid, nil when there is none.
func (s *peerSet) ofPID(pid *actor.PID) *peerInfo {
	if k, ok := s.byPID[pid.Id]; ok {
		return s.byKey[k]
	}
	return nil
}

// remove forgets the peer whose actor is pid and returns it (nil, false
// when there was none; a nil peer with true when only its PID was known).
func (s *peerSet) remove(pid *actor.PID) (messages.PeerKey, *peerInfo, bool) {
	k, ok := s.byPID[pid.Id]
	if !ok {
		return 0, nil, false
	}
	delete(s.byPID, pid.Id)
	p := s.byKey[k]
	delete(s.byKey, k)
	return k, p, true
}

// len counts the connections that hold a slot: open, opening, or closing
// but not terminated yet.
func (s *peerSet) len() int { return len(s.byKey) }

// all is every peer, in no order.
func (s *peerSet) all() iter.Seq[*peerInfo] { return maps.Values(s.byKey) }

// open is every peer whose connection has not ended.
func (s *peerSet) open() iter.Seq[*peerInfo] {
	return func(yield func(*peerInfo) bool) {
		for _, p := range s.byKey {
			if !p.closed && !yield(p) {
				return
			}
		}
	}
}

// openAt is every open connection with the peer at addr (host:port as
// the peer actor has it): one, unless a connection to it is closing while
// another opens.
func (s *peerSet) openAt(addr string) iter.Seq[*peerInfo] {
	return func(yield func(*peerInfo) bool) {
		for p := range s.open() {
			if p.addr == addr && !yield(p) {
				return
			}
		}
	}
}

// staying are the open peers not told to leave, oldest first.
func (s *peerSet) staying() []*peerInfo {
	out := make([]*peerInfo, 0, len(s.byKey))
	for _, p := range s.byKey {
		if !p.closed && !p.leaving {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *peerInfo) int { return int(a.key - b.key) })
	return out
}

// leave marks every open peer leaving and returns them, to be told to
// disconnect (again, for those already leaving: the reason may be new).
func (s *peerSet) leave() []*peerInfo {
	var out []*peerInfo
	for _, p := range s.byKey {
		if !p.closed {
			p.leaving = true
			out = append(out, p)
		}
	}
	return out
}

// excess marks as leaving and returns the newest peers over max (a
// lowered max_connections).
func (s *peerSet) excess(max int) []*peerInfo {
	over := s.len() - max
	if over <= 0 {
		return nil
	}
	st := s.staying()
	var out []*peerInfo
	for _, p := range slices.Backward(st) {
		if over == 0 {
			break
		}
		p.leaving = true
		out = append(out, p)
		over--
	}
	return out
}

// giveSlot returns a peer's connection slot to the session (once).
func (s *peerSet) giveSlot(p *peerInfo, slots *actors.Slots) {
	if p != nil && p.slot {
		p.slot = false
		slots.Give()
	}
}

// giveAllSlots gives back every slot still held (the torrent stopped).
func (s *peerSet) giveAllSlots(slots *actors.Slots) {
	for _, p := range s.byKey {
		s.giveSlot(p, slots)
	}
}
