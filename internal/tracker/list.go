package tracker

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// EntryID names one tracker of a List for as long as it stays in the list.
// IDs are never reused within a List (Replace keeps the IDs of URLs that
// survive it), so a result that arrives for a removed tracker is ignored
// instead of landing on another one. Positions, unlike IDs, change when a
// tracker that answers moves to the front of its tier.
type EntryID int

// entry is one tracker's announce state (libtorrent's announce_entry).
type entry struct {
	id   EntryID
	url  string
	tier int

	fails     int  // failures in a row
	dead      bool // not working: reached the fail limit or told "never"
	verified  bool // has answered at least once
	answering bool // the last announce succeeded

	updating     bool      // a job is out; only its result moves this entry on
	issuedAt     time.Time // when that job went out
	jobEvent     Event     // the event of that job
	jobComplete  bool      // the torrent was complete when that job was issued
	startSent    bool      // a started announce succeeded: the tracker knows us
	completeSent bool      // the tracker knows we are complete
	needStop     bool      // owes a stopped announce (List.Stop)

	next         time.Time      // earliest next announce; zero means at once
	minAnnounce  time.Time      // the tracker's min interval ends here
	asked        askedIntervals // what its last answer said
	interval     time.Duration
	lastAnnounce time.Time

	trackerID string
	lastError error
	message   string

	scrape     ScrapeResponse
	lastScrape time.Time
}

// List is one torrent's trackers and their announce schedule. It is not
// safe for concurrent use: it belongs to the torrent actor.
//
// The caller's loop: after any mutating call (Start, a result, a timer),
// call Due(now) and run the jobs it returns, then arm one timer for
// Next(now). Every job must be answered by Succeeded or Failed exactly once
// (clients bound their own time, so one always arrives); until then the
// tracker counts as busy.
type List struct {
	set     Settings
	rng     *rand.Rand
	entries []*entry // sorted by tier; within a tier, order is priority
	byURL   map[string]*entry
	nextID  EntryID
	budget  budget

	started  bool // between Start and Stop
	stopping bool // Stop called: only stopped announces go out
	complete bool // Completed called
}

// NewList builds a list from tiers (announce-list order: tiers[0] is tier 0)
// and shuffles each tier with rng as BEP 12 asks; a nil rng keeps the given
// order (tests; real callers pass a seeded rand). Empty and duplicate URLs
// are dropped, the first occurrence winning.
func NewList(tiers [][]string, s Settings, rng *rand.Rand) *List {
	s = s.effective()
	l := &List{
		set:    s,
		rng:    rng,
		byURL:  make(map[string]*entry),
		budget: budget{burst: s.AttemptBurst, every: s.AttemptEvery},
	}
	l.Replace(tiers)
	return l
}

// Settings returns the effective settings (defaults filled in).
func (l *List) Settings() Settings { return l.set }

func (l *List) newEntry(url string, tier int) *entry {
	l.nextID++
	return &entry{id: l.nextID, url: url, tier: tier, scrape: UnknownScrape}
}

// Replace installs a new tracker list (libtorrent replace_trackers). Trackers
// whose URL survives keep their ID, timers, events sent and in-flight job,
// but their failures are forgiven: a failing or dead tracker is due again
// at once. New trackers
// are due at once (the tier walk still decides who is announced); removed
// ones are forgotten, their late results ignored.
func (l *List) Replace(tiers [][]string) {
	old := l.byURL
	l.byURL = make(map[string]*entry)
	l.entries = l.entries[:0]
	for tier, urls := range tiers {
		start := len(l.entries)
		for _, u := range urls {
			u = strings.TrimSpace(u)
			if u == "" || l.byURL[u] != nil || len(l.entries) >= l.set.MaxTrackers {
				continue
			}
			e := old[u]
			if e == nil {
				e = l.newEntry(u, tier)
			} else {
				if e.fails > 0 {
					e.next = time.Time{} // forgiven: due again, backoff and all
				}
				e.tier, e.fails, e.dead = tier, 0, false
			}
			l.byURL[u] = e
			l.entries = append(l.entries, e)
		}
		if l.rng != nil {
			group := l.entries[start:]
			l.rng.Shuffle(len(group), func(i, j int) { group[i], group[j] = group[j], group[i] })
		}
	}
}

// Add appends url to the end of tier (libtorrent add_tracker) and returns its
// ID. A URL already present is not added again: its ID is returned with
// added false, as is 0 when the URL is empty or the list is full.
func (l *List) Add(url string, tier int) (id EntryID, added bool) {
	url = strings.TrimSpace(url)
	if e := l.byURL[url]; e != nil {
		return e.id, false
	}
	if url == "" || len(l.entries) >= l.set.MaxTrackers {
		return 0, false
	}
	tier = max(tier, 0)
	e := l.newEntry(url, tier)
	at := len(l.entries)
	for i, x := range l.entries {
		if x.tier > tier {
			at = i
			break
		}
	}
	l.entries = slices.Insert(l.entries, at, e)
	l.byURL[url] = e
	return e.id, true
}

// Len is the number of trackers.
func (l *List) Len() int { return len(l.entries) }

func (l *List) find(id EntryID) *entry {
	for _, e := range l.entries {
		if e.id == id {
			return e
		}
	}
	return nil
}

// Start begins (or resumes) announcing: every tracker that does not know us
// gets a started event, and all but the failing ones (which keep their
// backoff) are due at once. It is a no-op while already started. Trackers
// that are not working stay so.
func (l *List) Start() {
	if l.started {
		return
	}
	l.started, l.stopping = true, false
	for _, e := range l.entries {
		e.needStop = false
		if e.fails == 0 {
			// A tracker that was told stopped has forgotten us, so its min
			// interval no longer applies; a failing one keeps its backoff.
			e.next, e.minAnnounce = time.Time{}, time.Time{}
		}
	}
}

// Completed records that the download finished: trackers that know us as a
// leecher get a completed event as soon as they are walked to, even inside
// their min interval (libtorrent does the same). Call it only on the
// transition; a torrent that starts complete announces started with left=0
// and never sends completed.
func (l *List) Completed() {
	if l.complete {
		return
	}
	l.complete = true
	for _, e := range l.entries {
		if e.startSent && !e.completeSent && e.fails == 0 {
			e.next, e.minAnnounce = time.Time{}, time.Time{}
		}
	}
}

// Stop ends announcing: every working tracker that knows us (a started
// announce succeeded) is owed one stopped announce, and nothing else is
// announced. A tracker whose started is still in flight is owed one if that
// started succeeds. Stopped announces are never retried.
func (l *List) Stop() {
	if !l.started {
		return
	}
	l.started, l.stopping = false, true
	for _, e := range l.entries {
		e.needStop = e.startSent && !e.dead
	}
}

// Stopping reports whether stopped announces are still owed or in flight
// (Session.Close waits for this, within stop_tracker_timeout).
func (l *List) Stopping() bool {
	if !l.stopping {
		return false
	}
	for _, e := range l.entries {
		if e.needStop || (e.updating && e.jobEvent == EventStopped) {
			return true
		}
	}
	return false
}

// ForceReannounce makes every tracker due now (libtorrent force_reannounce):
// working ones as soon as their min interval allows, failing ones at once,
// and trackers that were not working are revived with their failures
// forgiven. It does nothing while stopped.
func (l *List) ForceReannounce(now time.Time) {
	if !l.started {
		return
	}
	for _, e := range l.entries {
		if e.dead {
			e.dead, e.fails = false, 0
		}
		if e.answering {
			e.next = maxTime(now, e.minAnnounce)
		} else {
			e.next = now
		}
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
