package queue

import (
	"container/heap"
	"time"
)

// Stats are a torrent's measured numbers, reported with Observe. The
// torrent actor has them for its status and resume data anyway.
type Stats struct {
	// DownloadRate and UploadRate are payload bytes/s: they decide
	// whether the torrent is inactive.
	DownloadRate int64
	UploadRate   int64
	// TotalDownload and TotalUpload are payload bytes over the torrent's
	// life (resume data included); Size is the torrent's total size, 0
	// before metadata. They give the share ratio.
	TotalDownload int64
	TotalUpload   int64
	Size          int64
	// ActiveTime and FinishedTime are the torrent's active_time and
	// finished_time at the report (resume data included). The queue adds
	// the time since the report while the torrent runs. The seeding goals
	// use FinishedTime, as libtorrent does (it equals seeding_time for a
	// complete torrent).
	ActiveTime   time.Duration
	FinishedTime time.Duration
	// Seeds and Leechers are the other seeds and downloaders of the swarm,
	// for the seed rank: the tracker's scrape (complete, less one while we
	// seed, and incomplete) when there is one, else the peer list's counts.
	Seeds    int
	Leechers int
}

// Observe records the torrent's stats. Report them whenever the torrent
// actor computes its rates while it runs (every second it has peers) and
// at least once when its traffic stops: the inactivity filter sees only
// what is reported. A torrent that starts is assumed at 0 B/s until a
// report says otherwise, so one that never reports becomes inactive after
// the startup grace, as libtorrent's first tick would make it.
func (q *Queue[ID]) Observe(now time.Time, id ID, s Stats) {
	e, ok := q.torrents[id]
	if !ok {
		return
	}
	// A change that came due before this report was decided on the rates
	// known then (libtorrent's timer fires between ticks).
	q.settle(e, now)
	e.stats, e.statsAt = s, q.stampOf(now)
	q.track(e, now)
}

// Inactive reports whether the torrent counts as inactive now (running,
// below the thresholds past the grace, with DontCountSlowTorrents).
func (q *Queue[ID]) Inactive(id ID) bool {
	e, ok := q.torrents[id]
	return ok && q.settings.DontCountSlowTorrents && e.inactive
}

// start begins e's run: the clocks restart and it counts as active for
// the startup grace.
func (q *Queue[ID]) start(e *entry[ID], now time.Time) {
	e.started = q.stampOf(now)
	e.inactive = false
	q.setPending(e, time.Time{})
	e.stats.DownloadRate, e.stats.UploadRate = 0, 0
	q.running[e.id] = e
	q.track(e, now)
}

// stop ends e's run. A paused torrent is never inactive (libtorrent's
// do_pause clears m_inactive and cancels a pending change), so it starts
// again with a fresh grace.
func (q *Queue[ID]) stop(e *entry[ID], now time.Time) {
	q.accrue(e, now)
	e.started = 0
	e.inactive = false
	q.setPending(e, time.Time{})
	e.stats.DownloadRate, e.stats.UploadRate = 0, 0
	delete(q.running, e.id)
}

// accrue folds the run time up to now into e's stats, as if reported, so
// that a stopped torrent keeps its times without a last report.
func (q *Queue[ID]) accrue(e *entry[ID], now time.Time) {
	e.stats.ActiveTime = q.activeTime(e, now)
	e.stats.FinishedTime = q.finishedTime(e, now)
	e.statsAt = q.stampOf(now)
}

// slow reports whether e's rate is below its threshold: the upload rate
// for a finished torrent, the download rate otherwise.
func (q *Queue[ID]) slow(e *entry[ID]) bool {
	if e.state.finished() {
		return e.stats.UploadRate < q.settings.InactiveUpRate
	}
	return e.stats.DownloadRate < q.settings.InactiveDownRate
}

// tracked reports whether e's inactivity is being followed: it runs, is
// not checking, and slow torrents are not counted.
func (q *Queue[ID]) tracked(e *entry[ID]) bool {
	return q.settings.DontCountSlowTorrents && e.started != 0 && e.state != StateChecking
}

// track is libtorrent's low-pass filter on inactivity (second_tick): when
// the rate first says otherwise than e's state, a change is pending; when
// it agrees again, the pending change is dropped.
func (q *Queue[ID]) track(e *entry[ID], now time.Time) {
	if !q.tracked(e) || q.slow(e) == e.inactive {
		q.setPending(e, time.Time{})
		return
	}
	if e.pending == 0 {
		q.setPending(e, now)
	}
}

// settle applies e's pending change if the grace ran out by now and the
// rate still says so (on_inactivity_tick); a change makes a pass due.
func (q *Queue[ID]) settle(e *entry[ID], now time.Time) {
	if e.pending == 0 || now.Before(q.timeOf(e.pending).Add(q.settings.AutoManageStartup)) {
		return
	}
	q.setPending(e, time.Time{})
	if !q.tracked(e) {
		return
	}
	if slow := q.slow(e); slow != e.inactive {
		e.inactive = slow
		q.dirty = true
	}
}

// activeTime and finishedTime extrapolate e's reported times to now while
// it runs.
func (q *Queue[ID]) activeTime(e *entry[ID], now time.Time) time.Duration {
	return e.stats.ActiveTime + q.runSince(e, now, e.started)
}

func (q *Queue[ID]) finishedTime(e *entry[ID], now time.Time) time.Duration {
	if !e.state.finished() {
		return e.stats.FinishedTime
	}
	return e.stats.FinishedTime + q.runSince(e, now, e.finishedAt)
}

// runSince is how long e has run since the later of its last report and
// from, zero when it does not run.
func (q *Queue[ID]) runSince(e *entry[ID], now time.Time, from stamp) time.Duration {
	if e.started == 0 {
		return 0
	}
	t := e.started
	for _, u := range [2]stamp{e.statsAt, from} {
		if u != 0 && u > t {
			t = u
		}
	}
	if d := now.Sub(q.timeOf(t)); d > 0 {
		return d
	}
	return 0
}

// setPending sets e's pending change and, for a change, pushes it on the
// heap Next and Decide read instead of going through every running
// torrent (10k started torrents made each call cost 10k).
func (q *Queue[ID]) setPending(e *entry[ID], at time.Time) {
	e.pending = q.stampOf(at)
	if e.pending != 0 {
		heap.Push(&q.pendings, pendingAt[ID]{at: e.pending, e: e})
	}
}
