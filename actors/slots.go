package actors

import (
	"sync"

	"github.com/actorrent/actorrent/internal/ratelimit"
)

// Slots counts something a whole session has a fixed number of, taken and
// given back by many actors without a round trip: the peer connections of
// connections_limit, which every torrent opens on its own. Take never
// blocks; an actor that gets none tries again later.
type Slots struct {
	mu    sync.Mutex
	limit int
	used  int
}

// NewSlots returns limit slots; limit <= 0 means no limit.
func NewSlots(limit int) *Slots { return &Slots{limit: limit} }

// Take takes a slot if one is free.
func (s *Slots) Take() bool { return s.TakeScaled(100) }

// TakeScaled takes a slot if fewer than the limit scaled by factor percent
// are taken: a peer class's connection_limit_factor (the local class's 150
// lets LAN peers in until half as many again are connected; see
// ratelimit.ConnectionLimit). A factor of 0 or less is 100.
func (s *Slots) TakeScaled(factor int) bool {
	if s == nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limit > 0 && s.used >= ratelimit.ConnectionLimit(s.limit, factor) {
		return false
	}
	s.used++
	return true
}

// Give returns a slot taken before.
func (s *Slots) Give() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.used > 0 {
		s.used--
	}
}

// Free is how many slots are left (a large number without a limit).
func (s *Slots) Free() int {
	if s == nil {
		return int(^uint(0) >> 1)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limit <= 0 {
		return int(^uint(0) >> 1)
	}
	return s.limit - s.used
}

// Used is how many slots are taken.
func (s *Slots) Used() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used
}

// SetLimit changes the number of slots (settings applied at runtime).
// Slots already taken over a smaller limit stay taken until given back.
func (s *Slots) SetLimit(limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = limit
}

// TakeSlack takes a slot like TakeScaled, or one of slack more beyond the
// limit (connections_slack): for a connection that displaces another,
// whose slot comes back once it has closed.
func (s *Slots) TakeSlack(factor, slack int) bool {
	if s == nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limit > 0 && s.used >= ratelimit.ConnectionLimit(s.limit, factor)+max(slack, 0) {
		return false
	}
	s.used++
	return true
}
