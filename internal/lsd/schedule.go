package lsd

import (
	"slices"
	"time"
)

// Resends are when an announce is sent again after its first send: a
// multicast datagram may be lost, so libtorrent sends each announce three
// times, 2 s and then 4 s apart.
var Resends = []time.Duration{2 * time.Second, 6 * time.Second}

// DefaultInterval is local_service_announce_interval's default: every
// torrent is announced every 5 minutes.
const DefaultInterval = 5 * time.Minute

// Schedule decides when each torrent is announced, as libtorrent does: a
// torrent at once when it is added (its start), then the torrents in
// turn, one every interval/n (at least a second apart), so that each is
// announced once per interval however many there are; every announce is
// sent again after Resends. It holds no timer: Due says what to send now
// and when to ask again.
type Schedule struct {
	interval time.Duration
	order    []InfoHash // the round's order, torrents as they were added
	member   map[InfoHash]bool
	next     int       // the round's next torrent in order
	round    time.Time // when the round announces its next torrent; zero: no torrent
	pending  []send    // first sends and resends, in no order
}

// send is one packet's worth of a torrent, due at a time.
type send struct {
	ih InfoHash
	at time.Time
}

// NewSchedule returns an empty schedule; a negative interval is
// DefaultInterval, 0 announces a torrent every second (libtorrent's floor).
func NewSchedule(interval time.Duration) *Schedule {
	s := &Schedule{member: map[InfoHash]bool{}}
	s.SetInterval(interval)
	return s
}

// SetInterval changes the round's interval (local_service_announce_interval);
// it takes effect at the round's next announce.
func (s *Schedule) SetInterval(interval time.Duration) {
	if interval < 0 {
		interval = DefaultInterval
	}
	s.interval = interval
}

// Len is how many torrents are announced.
func (s *Schedule) Len() int { return len(s.order) }

// Has reports whether ih is announced.
func (s *Schedule) Has(ih InfoHash) bool { return s.member[ih] }

// Add starts announcing ih: at once, then in the round. Adding a torrent
// already there does nothing.
func (s *Schedule) Add(ih InfoHash, now time.Time) {
	if s.member[ih] {
		return
	}
	s.member[ih] = true
	s.order = append(s.order, ih)
	s.announce(ih, now)
	// More torrents make the round faster: its next announce is no
	// later than the new period from now.
	if r := now.Add(s.period()); s.round.IsZero() || r.Before(s.round) {
		s.round = r
	}
}

// Remove stops announcing ih, resends included.
func (s *Schedule) Remove(ih InfoHash) {
	if !s.member[ih] {
		return
	}
	delete(s.member, ih)
	i := slices.Index(s.order, ih)
	s.order = slices.Delete(s.order, i, i+1)
	if i < s.next {
		s.next--
	}
	s.pending = slices.DeleteFunc(s.pending, func(p send) bool { return p.ih == ih })
	if len(s.order) == 0 {
		s.round, s.next = time.Time{}, 0
	}
}

// Due returns the torrents to announce now (each once) and when to call
// again (zero: nothing is scheduled until a torrent is added).
func (s *Schedule) Due(now time.Time) ([]InfoHash, time.Time) {
	var out []InfoHash
	if !s.round.IsZero() && !now.Before(s.round) {
		if s.next >= len(s.order) {
			s.next = 0
		}
		s.announce(s.order[s.next], now)
		s.next++
		s.round = now.Add(s.period())
	}
	kept := s.pending[:0]
	for _, p := range s.pending {
		if now.Before(p.at) {
			kept = append(kept, p)
		} else if !slices.Contains(out, p.ih) {
			out = append(out, p.ih)
		}
	}
	clear(s.pending[len(kept):])
	s.pending = kept
	return out, s.wake()
}

// announce queues ih's first send now and its resends.
func (s *Schedule) announce(ih InfoHash, now time.Time) {
	s.pending = append(s.pending, send{ih: ih, at: now})
	for _, d := range Resends {
		s.pending = append(s.pending, send{ih: ih, at: now.Add(d)})
	}
}

// period is the time between two of the round's announces.
func (s *Schedule) period() time.Duration {
	return max(s.interval/time.Duration(max(len(s.order), 1)), time.Second)
}

// wake is the earliest time something is due.
func (s *Schedule) wake() time.Time {
	w := s.round
	for _, p := range s.pending {
		if w.IsZero() || p.at.Before(w) {
			w = p.at
		}
	}
	return w
}
