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
// tracker of the tier that can go is announced. A tier that has a working
// tracker, one just announced, or one in flight holds the walk, which then
// stops unless AnnounceToAllTiers; a tier whose trackers all failed or wait
// out a backoff lets the walk go on to the next tier.
//
// An announce in flight to a tracker not known to work holds its tier for
// Settings.FailoverAfter only: past that the walk goes on as if it had
// failed, so a tracker that never answers (a dead UDP tracker is reported
// failed only when the client gives up) costs the first peers seconds, not
// the completion timeout. Its result still counts when it comes.
//
// Attempts on trackers not known to work cost a token of the attempt
// budget; without one they wait (Next says until when).
func (l *List) Due(now time.Time) []Job {
	jobs, _ := l.walk(now, true)
	return jobs
}

// Next returns when Due should next be called: now if it has jobs now, the
// zero time if nothing will be due without another call (stopped, every
// tracker busy and awaited, or not working). Results can make jobs due, so
// call Due after each of them as well. Next never returns a time at or
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
		// Whether the walk would reach a later tier once this one lets go.
		more := end < len(l.entries) && !l.set.AnnounceToAllTiers
		held := l.walkTier(l.entries[start:end], more, now, issue, &jobs, consider)
		if held && !l.set.AnnounceToAllTiers {
			break
		}
		start = end
	}
	return jobs, wake
}

// walkTier walks one tier and reports whether it holds the walk. more says
// whether a later tier would be walked if it does not.
func (l *List) walkTier(tier []*entry, more bool, now time.Time, issue bool, jobs *[]Job, consider func(time.Time)) bool {
	if l.set.AnnounceToAllTrackers {
		// The tier's trackers are all announced regardless, so silence only
		// matters to a later tier, and only once every job out of this one
		// went silent and nothing else holds it.
		held, silent := false, time.Time{}
		for _, e := range tier {
			if e.dead {
				continue
			}
			if e.updating {
				switch at := l.silentAt(e); {
				case at.IsZero():
					held = true
				case now.Before(at):
					silent = maxTime(silent, at)
				}
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
		if !held && !silent.IsZero() && more {
			consider(silent)
		}
		return held || !silent.IsZero()
	}
	// One announce per tier at a time, and a working tracker (the first,
	// since answering promotes) keeps the tier to itself.
	idle := false // a tracker failing over could try
	for _, e := range tier {
		idle = idle || (!e.dead && !e.updating)
	}
	for _, e := range tier {
		if !e.updating {
			continue
		}
		at := l.silentAt(e)
		if at.IsZero() {
			return true
		}
		if now.Before(at) {
			if more || idle {
				consider(at)
			}
			return true
		}
	}
	for _, e := range tier {
		if e.answering && !e.dead && !e.updating {
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
		if e.dead || e.updating {
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

// silentAt is when e's job in flight stops holding its tier: never (the
// zero time) for a tracker known to work, which answered last time and
// whose slow answer is no reason to announce elsewhere; FailoverAfter after
// it went out for any other.
func (l *List) silentAt(e *entry) time.Time {
	if e.answering || l.set.FailoverAfter < 0 {
		return time.Time{}
	}
	return e.issuedAt.Add(l.set.FailoverAfter)
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
		e.updating, e.issuedAt, e.jobEvent, e.jobComplete = true, now, ev, l.complete
	}
	return Job{Entry: e.id, URL: e.url, Tier: e.tier, Event: ev, TrackerID: e.trackerID}
}
