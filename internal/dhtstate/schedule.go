package dhtstate

import "time"

// InfoHash is a torrent's v1 info-hash.
type InfoHash = [20]byte

// Schedule decides when each torrent looks up peers on the DHT and
// announces itself there. A torrent announces as soon as it is added,
// then every interval after a lookup that found peers. A lookup that
// failed (no node to start from: the table is still empty) or found no
// peer is retried sooner, after retryFirst doubling up to the interval:
// a magnet's first lookup often runs before the DHT has bootstrapped, and
// waiting the whole interval for the second would leave it without peers
// for fifteen minutes. At most limit lookups run at once; the others wait
// their turn in the order they fell due.
type Schedule struct {
	interval time.Duration
	limit    int // <= 0: no limit
	running  int
	torrents map[InfoHash]*slot
}

// slot is one torrent's place in the schedule.
type slot struct {
	next    time.Time
	retries int // lookups in a row that failed or found nobody
	running bool
	// again: Force or Remove+Add came while a lookup ran; it runs again
	// when this one ends.
	again bool
}

// retryFirst is the wait after the first lookup that found nobody.
const retryFirst = 5 * time.Second

// NewSchedule returns an empty schedule.
func NewSchedule(interval time.Duration, limit int) *Schedule {
	return &Schedule{interval: interval, limit: limit, torrents: map[InfoHash]*slot{}}
}

// SetLimits changes the interval (for the waits set from now on) and the
// limit of lookups at once.
func (s *Schedule) SetLimits(interval time.Duration, limit int) {
	s.interval, s.limit = interval, limit
}

// Len is how many torrents are scheduled.
func (s *Schedule) Len() int { return len(s.torrents) }

// Running is how many lookups run now.
func (s *Schedule) Running() int { return s.running }

// Has reports whether ih is scheduled.
func (s *Schedule) Has(ih InfoHash) bool { return s.torrents[ih] != nil }

// Add schedules a torrent, due at once; a torrent already there is due
// at once too (it started again).
func (s *Schedule) Add(ih InfoHash, now time.Time) {
	if t := s.torrents[ih]; t != nil {
		s.force(t, now)
		return
	}
	s.torrents[ih] = &slot{next: now}
}

// Remove unschedules a torrent. Its running lookup, if any, still ends
// with Done.
func (s *Schedule) Remove(ih InfoHash) {
	if t := s.torrents[ih]; t != nil && t.running {
		s.running--
	}
	delete(s.torrents, ih)
}

// Force makes a torrent due now (force_dht_announce); it reports false
// for a torrent not scheduled.
func (s *Schedule) Force(ih InfoHash, now time.Time) bool {
	t := s.torrents[ih]
	if t == nil {
		return false
	}
	s.force(t, now)
	return true
}

func (s *Schedule) force(t *slot, now time.Time) {
	t.retries = 0
	if t.running {
		t.again = true
		return
	}
	t.next = now
}

// Due returns the torrents whose lookup should start now, oldest due
// first, as many as the limit lets run, and marks them running.
func (s *Schedule) Due(now time.Time) []InfoHash {
	var due []InfoHash
	for ih, t := range s.torrents {
		if !t.running && !t.next.After(now) {
			due = append(due, ih)
		}
	}
	sortByNext(due, s.torrents)
	if s.limit > 0 {
		room := max(s.limit-s.running, 0)
		due = due[:min(len(due), room)]
	}
	for _, ih := range due {
		s.torrents[ih].running = true
		s.running++
	}
	return due
}

// Done records the end of a torrent's lookup: ok says it reached nodes,
// peers how many peers it found. It reports when the torrent is due
// next (false: it is no longer scheduled).
func (s *Schedule) Done(ih InfoHash, now time.Time, ok bool, peers int) (time.Time, bool) {
	t := s.torrents[ih]
	if t == nil || !t.running {
		return time.Time{}, t != nil
	}
	t.running = false
	s.running--
	switch {
	case t.again:
		t.again, t.retries = false, 0
		t.next = now
	case ok && peers > 0:
		t.retries = 0
		t.next = now.Add(s.interval)
	default:
		t.retries++
		t.next = now.Add(s.retryWait(t.retries))
	}
	return t.next, true
}

// retryWait is the wait after n lookups in a row that found nobody.
func (s *Schedule) retryWait(n int) time.Duration {
	d := retryFirst
	for i := 1; i < n && d < s.interval; i++ {
		d *= 2
	}
	return min(d, s.interval)
}

// Next is when the next lookup falls due (false: none waits). A due
// lookup held back by the limit is due again when a running one ends,
// which Done tells the caller: Next does not report it.
func (s *Schedule) Next(now time.Time) (time.Time, bool) {
	var next time.Time
	found := false
	full := s.limit > 0 && s.running >= s.limit
	for _, t := range s.torrents {
		if t.running || (full && !t.next.After(now)) {
			continue
		}
		if !found || t.next.Before(next) {
			next, found = t.next, true
		}
	}
	return next, found
}

func sortByNext(ihs []InfoHash, m map[InfoHash]*slot) {
	// insertion sort: the due list is short (a few torrents a tick)
	for i := 1; i < len(ihs); i++ {
		for j := i; j > 0 && less(m[ihs[j]], ihs[j], m[ihs[j-1]], ihs[j-1]); j-- {
			ihs[j], ihs[j-1] = ihs[j-1], ihs[j]
		}
	}
}

func less(a *slot, aih InfoHash, b *slot, bih InfoHash) bool {
	if !a.next.Equal(b.next) {
		return a.next.Before(b.next)
	}
	return string(aih[:]) < string(bih[:])
}
