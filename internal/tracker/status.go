package tracker

import "time"

// TrackerStatus is a snapshot of one tracker, libtorrent's announce_entry in
// Go names plus what our terminal state adds (for TorrentHandle.Trackers).
type TrackerStatus struct {
	Entry EntryID
	URL   string
	Tier  int
	// TrackerID is the "tracker id" the tracker gave us (libtorrent trackerid).
	TrackerID string

	Fails     int // failures in a row
	FailLimit int // failures that make it not working; 0 = unlimited
	// Verified: it has answered at least once.
	Verified bool
	// Working: its last announce succeeded.
	Working bool
	// NotWorking: it reached FailLimit (or said "retry in: never") and is
	// not announced until ForceReannounce or Replace.
	NotWorking bool
	Updating   bool // a job is in flight

	StartSent    bool
	CompleteSent bool

	// NextAnnounce is when it may be announced next (zero if now, or if it
	// never will be: NotWorking, or the torrent is stopped). It is a lower
	// bound: the tier walk and the attempt budget decide whether it is.
	NextAnnounce time.Time
	MinAnnounce  time.Time     // the tracker's min interval ends here
	Interval     time.Duration // the clamped interval of the last reply
	LastAnnounce time.Time     // last answer (zero: never)

	LastError error  // the last failure (nil after a success)
	Message   string // the last warning or failure reason

	ScrapeComplete, ScrapeIncomplete, ScrapeDownloaded int // -1 unknown
	LastScrape                                         time.Time
}

// Trackers returns a snapshot of every tracker in priority order (tier, then
// position in the tier).
func (l *List) Trackers() []TrackerStatus {
	out := make([]TrackerStatus, len(l.entries))
	for i, e := range l.entries {
		out[i] = l.status(e)
	}
	return out
}

// Status returns one tracker's snapshot.
func (l *List) Status(id EntryID) (TrackerStatus, bool) {
	if e := l.find(id); e != nil {
		return l.status(e), true
	}
	return TrackerStatus{}, false
}

func (l *List) status(e *entry) TrackerStatus {
	next := maxTime(e.next, e.minAnnounce)
	if e.dead || !l.started {
		next = time.Time{}
	}
	return TrackerStatus{
		Entry:            e.id,
		URL:              e.url,
		Tier:             e.tier,
		TrackerID:        e.trackerID,
		Fails:            e.fails,
		FailLimit:        l.set.failLimit(),
		Verified:         e.verified,
		Working:          e.answering,
		NotWorking:       e.dead,
		Updating:         e.updating,
		StartSent:        e.startSent,
		CompleteSent:     e.completeSent,
		NextAnnounce:     next,
		MinAnnounce:      e.minAnnounce,
		Interval:         e.interval,
		LastAnnounce:     e.lastAnnounce,
		LastError:        e.lastError,
		Message:          e.message,
		ScrapeComplete:   e.scrape.Complete,
		ScrapeIncomplete: e.scrape.Incomplete,
		ScrapeDownloaded: e.scrape.Downloaded,
		LastScrape:       e.lastScrape,
	}
}
