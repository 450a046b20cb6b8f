package actors

import "sync"

// UploadSlots are the session's unchoke_slots_limit, shared by its
// torrents. libtorrent ranks every peer of the session in one choker
// round; here each torrent runs its own round (no session-wide sort, no
// round trip), and this counter keeps the sum within the limit: a torrent
// holds one slot per peer it unchokes outside the ignore_unchoke_slots
// classes, and may use what it holds plus the free slots, but no more
// than its fair share (the limit over the torrents that want slots,
// rounded up). A torrent over its share gives the excess back at its next
// round, so the slots even out within one unchoke_interval; the limit
// itself is never exceeded (a torrent that finds no free slot unchokes
// fewer).
type UploadSlots struct {
	mu     sync.Mutex
	limit  int // < 0: none
	used   int
	active int // torrents that want slots (Want)
}

// NewUploadSlots returns limit slots; limit < 0 means no limit.
func NewUploadSlots(limit int) *UploadSlots { return &UploadSlots{limit: limit} }

// SetLimit changes the number of slots (settings applied at runtime).
// Slots over a smaller limit are given back by their torrents' next
// rounds.
func (s *UploadSlots) SetLimit(limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = limit
}

// Want says whether a torrent competes for slots (it has interested
// peers); was is what it said last time.
func (s *UploadSlots) Want(was, want bool) {
	if was == want {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if want {
		s.active++
	} else if s.active > 0 {
		s.active--
	}
}

// Available is how many slots a torrent holding held may use: held and
// the free ones, up to its share; -1 when there is no limit.
func (s *UploadSlots) Available(held int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limit < 0 {
		return -1
	}
	share := s.limit
	if s.active > 1 {
		share = (s.limit + s.active - 1) / s.active
	}
	return max(0, min(share, held+s.limit-s.used))
}

// Hold takes or gives back slots so that a torrent holding held holds n,
// as far as free slots allow, and returns what it holds then.
func (s *UploadSlots) Hold(held, n int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > held && s.limit >= 0 {
		n = held + max(0, min(n-held, s.limit-s.used))
	}
	s.used += n - held
	return n
}

// Used is how many slots are held.
func (s *UploadSlots) Used() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.used
}
