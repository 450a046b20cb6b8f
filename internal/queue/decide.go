package queue

import (
	"cmp"
	"container/heap"
	"slices"
	"time"
)

// Decision is what a pass changed. The queue has already set the paused
// flags; the caller applies them to the torrents.
type Decision[ID comparable] struct {
	// Start are the auto-managed torrents the queue resumed: start them
	// and post torrent_resumed_alert.
	Start []ID
	// Pause are the auto-managed torrents the queue paused: pause them
	// gracefully (libtorrent lets outstanding requests finish) and post
	// torrent_paused_alert when they stopped.
	Pause []ID
}

// Empty reports whether the decision changes nothing.
func (d Decision[ID]) Empty() bool { return len(d.Start) == 0 && len(d.Pause) == 0 }

// Next returns when Decide should next be called: the end of the regular
// period (AutoManageInterval after the last pass), a second after the
// last pass when an event asks for one sooner (a torrent added, removed,
// moved in the queue, finished, done checking, in or out of error,
// auto-managed or not, new settings, the session resumed), or the end of
// a torrent's inactivity grace. It returns now at the earliest, and the
// zero time while the session is paused (nothing is due until it
// resumes). Next never returns a time at or before now for which Decide
// would do nothing, so a loop that waits for Next cannot spin.
func (q *Queue[ID]) Next(now time.Time) time.Time {
	if q.sessionPaused {
		return time.Time{}
	}
	if q.lastPass.IsZero() {
		return now
	}
	due := q.lastPass.Add(q.settings.interval())
	if q.dirty {
		due = earliest(due, q.lastPass.Add(minInterval))
	}
	if e := q.pendings.first(); e != nil {
		due = earliest(due, q.timeOf(e.pending).Add(q.settings.AutoManageStartup))
	}
	if due.Before(now) {
		return now
	}
	return due
}

// Decide settles the inactivity changes that came due and, if a pass is
// due (see Next), runs libtorrent's pass over the auto-managed torrents
// that are not checking and not in error:
//
//   - downloads in queue order and seeds by decreasing seed rank (ties in
//     the order they were added), downloads first unless
//     AutoManagePreferSeeds;
//   - an inactive torrent runs on and takes only an ActiveLimit slot;
//   - any other one runs while its kind has a slot (ActiveDownloads or
//     ActiveSeeds) and ActiveLimit has one, and is paused otherwise.
//
// While the session is paused nothing runs and the decision is empty.
func (q *Queue[ID]) Decide(now time.Time) Decision[ID] {
	var d Decision[ID]
	if q.sessionPaused {
		return d
	}
	for e := q.pendings.first(); e != nil && !now.Before(q.timeOf(e.pending).Add(q.settings.AutoManageStartup)); e = q.pendings.first() {
		heap.Pop(&q.pendings)
		q.settle(e, now) // (only entries with a pending change due have to)
	}
	if !q.due(now) {
		return d
	}
	q.lastPass, q.dirty = now, false

	var downloads, seeds []*entry[ID]
	for _, id := range q.order {
		if e := q.torrents[id]; q.managed(e) && !e.state.finished() {
			downloads = append(downloads, e)
		}
	}
	for _, e := range q.torrents {
		if q.managed(e) && e.state.finished() {
			seeds = append(seeds, e)
		}
	}
	rank := make(map[*entry[ID]]int, len(seeds))
	for _, e := range seeds {
		rank[e] = q.seedRank(e, now)
	}
	slices.SortFunc(seeds, func(a, b *entry[ID]) int {
		if c := cmp.Compare(rank[b], rank[a]); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})

	hard := slots(q.settings.ActiveLimit)
	downloadSlots := slots(q.settings.ActiveDownloads)
	seedSlots := slots(q.settings.ActiveSeeds)
	if q.settings.AutoManagePreferSeeds {
		q.hand(&d, now, seeds, &hard, seedSlots)
		q.hand(&d, now, downloads, &hard, downloadSlots)
	} else {
		q.hand(&d, now, downloads, &hard, downloadSlots)
		q.hand(&d, now, seeds, &hard, seedSlots)
	}
	return d
}

// due reports whether a pass is due at now.
func (q *Queue[ID]) due(now time.Time) bool {
	if q.lastPass.IsZero() || !now.Before(q.lastPass.Add(q.settings.interval())) {
		return true
	}
	return q.dirty && !now.Before(q.lastPass.Add(minInterval))
}

// managed reports whether e takes part in the pass.
func (q *Queue[ID]) managed(e *entry[ID]) bool {
	return e.autoManaged && !e.failed && e.state != StateChecking
}

// hand gives slots to list in order (session_impl's auto_manage_torrents).
func (q *Queue[ID]) hand(d *Decision[ID], now time.Time, list []*entry[ID], hard *int, kind int) {
	for _, e := range list {
		switch {
		case *hard > 0 && q.settings.DontCountSlowTorrents && e.inactive:
			*hard--
		case *hard > 0 && kind > 0:
			*hard--
			kind--
		default:
			if !e.paused {
				q.setPaused(e, true, now)
				d.Pause = append(d.Pause, e.id)
			}
			continue
		}
		if e.paused {
			q.setPaused(e, false, now)
			d.Start = append(d.Start, e.id)
		}
	}
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
