package tracker

import "time"

// Job is one announce to run now. The caller builds the request (adding
// TrackerID and, for EventStopped, NumWant 0), runs it with the client for
// URL's scheme, and reports the result with Succeeded or Failed under Entry.
type Job struct {
	Entry     EntryID
	URL       string
	Tier      int
	Event     Event
	TrackerID string // echo as AnnounceRequest.TrackerID
}

// Due returns the announces to run now and marks their trackers busy.
//
// The tier walk (BEP 12, close to libtorrent's): tiers are visited in order.
// In a tier, trackers that are not working are skipped; a working tracker
// (one whose last announce succeeded, moved to the front when it answered)
// has the tier to itself and is announced when its interval ends;
// otherwise the tracker with the fewest failures in a row that can go now
// (ties in tier order) is tried, so failing over reaches every tracker of
// the tier before the first one's retries. With AnnounceToAllTrackers every
// tracker of the tier that can go is announced. A tier that has a tracker
// in flight, a working one, or one just announced holds the walk, which
// then stops unless AnnounceToAllTiers; a tier whose trackers all fail or
// wait out a backoff lets the walk go on to the next tier.
//
// Attempts on trackers not known to work cost a token of the attempt
// budget; without one they wait (Next says until when).
func (l *List) Due(now time.Time) []Job {
	jobs, _ := l.walk(now, true)
	return jobs
}

// Next returns when Due should next be called: now if it has jobs now, the zero time if nothing will be due without another call
// (stopped, every tracker busy or not working). Results can make jobs due,
// so call Due after each of them as well. Next never returns a time at or
// before now for which Due would return nothing, so a loop that waits for
// Next and calls Due cannot spin.
func (l *List) Next(now time.Time) time.Time {
	jobs, wake := l.walk(now, false)
	if len(jobs) > 0 {
		return now
	}
	return wake
}

// walk runs the tier walk. With issue false it is a dry run: jobs say what
// Due would return, but nothing is marked and no token is spent. wake is the
// earliest moment something held back by time alone becomes possible.
func (l *List) walk(now time.Time, issue bool) (jobs []Job, wake time.Time) {
	consider := func(t time.Time) {
		if wake.IsZero() || t.Before(wake) {
			wake = t
		}
	}
	if l.stopping {
		for _, e := range l.entries {
			if e.needStop && !e.updating {
				jobs = append(jobs, l.issue(e, EventStopped, now, issue))
			}
		}
		return jobs, time.Time{}
	}
	if !l.started {
		return nil, time.Time{}
	}
	for start := 0; start < len(l.entries); {
		end := start + 1
		for end < len(l.entries) && l.entries[end].tier == l.entries[start].tier {
			end++
		}
		held := l.walkTier(l.entries[start:end], now, issue, &jobs, consider)
		if held && !l.set.AnnounceToAllTiers {
			break
		}
		start = end
	}
	return jobs, wake
}

// walkTier walks one tier and reports whether it holds the walk.
func (l *List) walkTier(tier []*entry, now time.Time, issue bool, jobs *[]Job, consider func(time.Time)) bool {
	if l.set.AnnounceToAllTrackers {
		held := false
		for _, e := range tier {
			if e.dead {
				continue
			}
			if e.updating {
				held = true
				continue
			}
			if e.answering {
				held = true
			}
			if l.ready(e, now, consider) {
				*jobs = append(*jobs, l.issue(e, l.eventFor(e), now, issue))
				held = true
			}
		}
		return held
	}
	// One announce per tier at a time, and a working tracker (the first,
	// since answering promotes) keeps the tier to itself.
	for _, e := range tier {
		if e.updating {
			return true
		}
	}
	for _, e := range tier {
		if e.answering && !e.dead {
			if l.ready(e, now, consider) {
				*jobs = append(*jobs, l.issue(e, l.eventFor(e), now, issue))
			}
			return true
		}
	}
	// No tracker works: try the one with the fewest failures that can go,
	// so that failing over reaches every tracker of the tier before the
	// first failures are retried.
	var best *entry
	for _, e := range tier {
		if e.dead {
			continue
		}
		if l.ready(e, now, consider) && (best == nil || e.fails < best.fails) {
			best = e
		}
	}
	if best == nil {
		return false
	}
	*jobs = append(*jobs, l.issue(best, l.eventFor(best), now, issue))
	return true
}

// ready reports whether e can be announced at now: its backoff or interval
// is over and, if it is not known to work, the budget has a token. If not,
// it tells consider when that will be.
func (l *List) ready(e *entry, now time.Time, consider func(time.Time)) bool {
	at := maxTime(e.next, e.minAnnounce)
	if !e.answering {
		at = maxTime(at, l.budget.availableAt(maxTime(at, now)))
	}
	if at.After(now) {
		consider(at)
		return false
	}
	return true
}

// eventFor picks the event of e's next regular announce, as libtorrent does:
// started until one succeeded, then completed once the torrent is complete.
func (l *List) eventFor(e *entry) Event {
	switch {
	case !e.startSent:
		return EventStarted
	case l.complete && !e.completeSent:
		return EventCompleted
	}
	return EventNone
}

// issue builds e's job and, unless this is a dry run, marks e busy and pays
// for the attempt.
func (l *List) issue(e *entry, ev Event, now time.Time, real bool) Job {
	if real {
		if ev != EventStopped && !e.answering {
			l.budget.take(now)
		}
		e.updating, e.jobEvent, e.jobComplete = true, ev, l.complete
	}
	return Job{Entry: e.id, URL: e.url, Tier: e.tier, Event: ev, TrackerID: e.trackerID}
}
