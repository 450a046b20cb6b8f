package tracker

import (
	"errors"
	"time"
)

// Succeeded records a successful answer to id's job at now. Intervals are
// clamped (Settings.MinAnnounceInterval … MaxAnnounceInterval, and a min
// interval of at least 30 s but not beyond the interval); the tracker moves
// to the front of its tier (BEP 12). A result for an unknown ID, or for a
// tracker with no job out, is ignored.
func (l *List) Succeeded(id EntryID, resp AnnounceResponse, now time.Time) {
	e := l.find(id)
	if e == nil || !e.updating {
		return
	}
	e.updating = false
	e.verified = true
	e.lastAnnounce = now
	l.recordScrape(e, ScrapeResponse{resp.Complete, resp.Incomplete, resp.Downloaded}, now)
	if e.jobEvent == EventStopped {
		e.needStop, e.startSent = false, false
		if resp.Warning != "" {
			e.message = resp.Warning
		}
		return
	}
	e.fails, e.answering, e.lastError = 0, true, nil
	e.message = resp.Warning
	if resp.TrackerID != "" {
		e.trackerID = resp.TrackerID
	}
	switch e.jobEvent {
	case EventStarted:
		e.startSent = true
		// A started sent with left=0 already told the tracker we are done.
		e.completeSent = e.completeSent || e.jobComplete
	case EventCompleted:
		e.completeSent = true
	}
	e.asked = askedIntervals{interval: resp.Interval, min: resp.MinInterval}
	e.interval = l.set.interval(resp.Interval)
	e.next = now.Add(e.interval)
	e.minAnnounce = now.Add(l.set.minInterval(resp.MinInterval, e.interval))
	if l.complete && !e.completeSent {
		// Completed came while this started was in flight: say so now.
		e.next, e.minAnnounce = time.Time{}, time.Time{}
	}
	if l.stopping {
		e.needStop = true // Stop came while this was in flight
	}
	l.promote(e)
}

// Failed records that id's job failed at now with err. The tracker backs off
// (Settings.Backoff, or longer if a *FailureError asks to), and after
// MaxFailCount failures in a row, or a "retry in: never", it is not working
// until ForceReannounce or Replace. A failed stopped announce is not retried.
// A result for an unknown ID, or a tracker with no job out, is ignored.
func (l *List) Failed(id EntryID, err error, now time.Time) {
	e := l.find(id)
	if e == nil || !e.updating {
		return
	}
	e.updating = false
	e.lastError = err
	var fe *FailureError
	if errors.As(err, &fe) {
		e.message = fe.Reason
	}
	if e.jobEvent == EventStopped {
		e.needStop, e.startSent = false, false
		return
	}
	e.fails++
	e.answering = false
	delay := l.set.Backoff(e.fails)
	if fe != nil {
		delay = max(delay, min(fe.RetryIn, l.set.MaxAnnounceInterval))
		if fe.Never {
			e.dead = true
		}
	}
	if l.set.MaxFailCount > 0 && e.fails >= l.set.MaxFailCount {
		e.dead = true
	}
	e.next = now.Add(delay)
	if l.stopping && e.startSent && !e.dead {
		e.needStop = true // an earlier started succeeded: say goodbye
	}
}

// Scraped records scrape counts for id (from a scrape reply; announce
// replies record theirs themselves). Unknown counts (-1) keep the old ones.
func (l *List) Scraped(id EntryID, r ScrapeResponse, now time.Time) {
	if e := l.find(id); e != nil {
		l.recordScrape(e, r, now)
	}
}

// recordScrape keeps the known counts of r.
func (l *List) recordScrape(e *entry, r ScrapeResponse, now time.Time) {
	if r.Complete < 0 && r.Incomplete < 0 && r.Downloaded < 0 {
		return
	}
	if r.Complete >= 0 {
		e.scrape.Complete = r.Complete
	}
	if r.Incomplete >= 0 {
		e.scrape.Incomplete = r.Incomplete
	}
	if r.Downloaded >= 0 {
		e.scrape.Downloaded = r.Downloaded
	}
	e.lastScrape = now
}

// promote moves e to the front of its tier.
func (l *List) promote(e *entry) {
	i := 0
	for l.entries[i] != e {
		i++
	}
	j := i
	for j > 0 && l.entries[j-1].tier == e.tier {
		j--
	}
	copy(l.entries[j+1:i+1], l.entries[j:i])
	l.entries[j] = e
}
