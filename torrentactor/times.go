package torrentactor

import "time"

// libtorrent's active_time, finished_time and seeding_time are counted
// from the moments the torrent's mode changes, not by adding a tick's
// length every tick: an idle torrent gets no tick, and its times must
// still be exact. The clock is synced after every message (syncTick), so a
// change made by any handler closes the interval counted so far.

// clockMode is what the torrent's time counts as now.
type clockMode struct {
	active, finished, seeding bool
}

// clockMode is the lifecycle's: active while it runs past its check,
// without error; finished and seeding as the torrent is (seeding: it has
// every piece).
func (l *lifecycle) clockMode(hasAll bool) clockMode {
	if !l.runs() || l.err != nil || l.checking() || l.removing {
		return clockMode{}
	}
	return clockMode{active: true, finished: l.finished, seeding: l.finished && hasAll}
}

// timeClock holds the times counted so far and the interval being
// counted: since when, and what it counts besides active time. since is
// zero while nothing counts (paused, failed, checking).
type timeClock struct {
	since time.Time
	mode  clockMode
	// active, finished and seeding are the closed intervals' sums (and
	// what resume data said).
	active, finished, seeding time.Duration
}

// sync adds the interval just ended to the times when the mode changed at
// now, and starts the next one.
func (c *timeClock) sync(now time.Time, m clockMode) {
	if c.since.IsZero() == !m.active && (!m.active || c.mode == m) {
		return // the same mode: the interval goes on
	}
	c.accrue(now)
	if m.active {
		c.since, c.mode = now, m
	}
}

// accrue adds the open interval up to now to the times and closes it.
func (c *timeClock) accrue(now time.Time) {
	c.active, c.finished, c.seeding = c.times(now)
	c.since, c.mode = time.Time{}, clockMode{}
}

// times are the active, finished and seeding times at now, the open
// interval included.
func (c *timeClock) times(now time.Time) (active, finished, seeding time.Duration) {
	active, finished, seeding = c.active, c.finished, c.seeding
	if !c.since.IsZero() && now.After(c.since) {
		d := now.Sub(c.since)
		active += d
		if c.mode.finished {
			finished += d
		}
		if c.mode.seeding {
			seeding += d
		}
	}
	return active, finished, seeding
}
