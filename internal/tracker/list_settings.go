package tracker

import "time"

// askedIntervals are the intervals a tracker's last answer asked for,
// kept so that new settings can be applied to them.
type askedIntervals struct {
	interval, min time.Duration
}

// SetSettings changes the list's settings at runtime (the session's
// tracker settings applied while the torrent runs). Failure counts stay;
// the intervals trackers asked for are bounded again by the new settings
// (a lower min_announce_interval lets a forced re-announce go sooner).
func (l *List) SetSettings(s Settings) {
	s = s.effective()
	l.set = s
	l.budget.burst, l.budget.every = s.AttemptBurst, s.AttemptEvery
	for _, e := range l.entries {
		if !e.answering || e.lastAnnounce.IsZero() {
			continue
		}
		e.interval = s.interval(e.asked.interval)
		e.next = e.lastAnnounce.Add(e.interval)
		e.minAnnounce = e.lastAnnounce.Add(s.minInterval(e.asked.min, e.interval))
	}
}
