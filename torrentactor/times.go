package torrentactor

import "time"

// clocks are the active, finished and seeding times (TorrentStatus and resume data). A view of the
// actor, not a part of it: the state stays in the actor (1000 of its size class's 1024 bytes), the
// type names the concern's methods.
type clocks struct{ *Actor }

// libtorrent's active_time, finished_time and seeding_time are counted
// from the moments the torrent's mode changes, not by adding a tick's
// length every tick: an idle torrent gets no tick, and its times must
// still be exact. syncClock runs after every message (Receive), so a
// change made by any handler closes the interval counted so far.

// timeClock is the interval being counted: since when, and what it
// counts besides active time. since is zero while nothing counts (paused,
// failed, checking).
type timeClock struct {
	since    time.Time
	finished bool
	seeding  bool
}

// clockMode says what the torrent's time counts as now.
func (a clocks) clockMode() (active, finished, seeding bool) {
	if !a.life.runs() || a.life.err != nil || a.life.checking() || a.life.removing {
		return false, false, false
	}
	return true, a.life.finished, a.life.finished && a.have.All()
}

// syncClock adds the interval just ended to the times when the mode
// changed, and starts the next one.
func (a clocks) syncClock(now time.Time) {
	active, finished, seeding := a.clockMode()
	c := &a.clock
	if c.since.IsZero() == !active && (!active || (c.finished == finished && c.seeding == seeding)) {
		return // the same mode: the interval goes on
	}
	a.accrueTimes(now)
	if active {
		*c = timeClock{since: now, finished: finished, seeding: seeding}
	}
}

// accrueTimes adds the open interval up to now to the times and closes it.
func (a clocks) accrueTimes(now time.Time) {
	c := &a.clock
	if !c.since.IsZero() && now.After(c.since) {
		d := now.Sub(c.since)
		a.resume.activeTime += d
		if c.finished {
			a.resume.finishedTime += d
		}
		if c.seeding {
			a.resume.seedingTime += d
		}
	}
	*c = timeClock{}
}

// times are the active, finished and seeding times at now, the open
// interval included.
func (a clocks) times(now time.Time) (active, finished, seeding time.Duration) {
	active, finished, seeding = a.resume.activeTime, a.resume.finishedTime, a.resume.seedingTime
	if c := a.clock; !c.since.IsZero() && now.After(c.since) {
		d := now.Sub(c.since)
		active += d
		if c.finished {
			finished += d
		}
		if c.seeding {
			seeding += d
		}
	}
	return active, finished, seeding
}
