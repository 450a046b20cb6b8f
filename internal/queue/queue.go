package queue

import "time"

// State is what a torrent is doing, as far as the queue cares.
type State int

const (
	// StateChecking covers checking_resume_data, queued for checking and
	// checking_files: the queue leaves such torrents alone.
	StateChecking State = iota
	// StateDownloading covers downloading and downloading_metadata: the
	// torrent wants pieces and competes for a download slot.
	StateDownloading
	// StateFinished: every wanted piece is there, but not every piece
	// (some files are not wanted). It competes for a seed slot.
	StateFinished
	// StateSeeding: every piece is there.
	StateSeeding
)

// finished reports whether s competes for a seed slot (libtorrent's
// is_finished; a seed is finished too).
func (s State) finished() bool { return s == StateFinished || s == StateSeeding }

// Torrent is how a torrent enters the queue.
type Torrent struct {
	AutoManaged bool
	Paused      bool
	State       State
}

// entry is one torrent's bookkeeping.
type entry[ID comparable] struct {
	id  ID
	seq uint64 // add order: breaks ties between seeds of equal rank
	pos int    // queue position, -1 when finished

	autoManaged bool
	paused      bool // the torrent's own flag, user's or queue's
	failed      bool // in error: out of every list
	state       State

	stats      Stats
	statsAt    stamp // when stats were reported
	started    stamp // when the current run began; 0 when not running
	finishedAt stamp // when it last became finished

	inactive bool  // counted as inactive (libtorrent's m_inactive)
	pending  stamp // since when the rate says otherwise; 0: nothing pending
}

// Queue is the session's auto-manage queue. The zero value is not usable:
// build one with New. It is not safe for concurrent use; it belongs to
// the session actor.
//
// The caller's loop: after any call, call Decide(now) when Next(now) is
// reached (arm one timer for it) and apply the decision. Methods on an
// ID that is not in the queue do nothing.
type Queue[ID comparable] struct {
	settings Settings
	torrents map[ID]*entry[ID]
	order    []ID // queue positions: order[p] holds position p
	// moved are the torrents whose position changed since Moved last
	// took them (maybe twice, maybe removed since).
	moved   []ID
	running map[ID]*entry[ID]
	nextSeq uint64
	// pendings are the pending changes, earliest first (setPending;
	// pending.go).
	pendings pendingHeap[ID]

	sessionPaused bool
	lastPass      time.Time // zero before the first pass
	epoch         time.Time // what stamps count from (stamp.go)
	dirty         bool      // an event asks for a pass sooner than the period
}

// New returns an empty queue with settings s.
func New[ID comparable](s Settings) *Queue[ID] {
	return &Queue[ID]{
		settings: s,
		torrents: make(map[ID]*entry[ID]),
		running:  make(map[ID]*entry[ID]),
	}
}

// SetSettings replaces the settings. A pass becomes due within a second:
// new limits may change who runs (libtorrent waits for the next regular
// pass instead).
func (q *Queue[ID]) SetSettings(now time.Time, s Settings) {
	q.settings = s
	for _, e := range q.running {
		q.track(e, now)
	}
	q.dirty = true
}

// Settings returns the settings in use.
func (q *Queue[ID]) Settings() Settings { return q.settings }

// Len returns the number of torrents in the queue.
func (q *Queue[ID]) Len() int { return len(q.torrents) }

// Add puts a torrent in the queue and reports whether it was new. Unless
// it is finished it takes the last queue position. It runs from now on if
// its flag and the session let it; a pass becomes due within a second.
func (q *Queue[ID]) Add(now time.Time, id ID, t Torrent) bool {
	if _, ok := q.torrents[id]; ok {
		return false
	}
	e := &entry[ID]{
		id:          id,
		seq:         q.nextSeq,
		pos:         -1,
		autoManaged: t.AutoManaged,
		paused:      t.Paused,
		state:       t.State,
	}
	q.nextSeq++
	if t.State.finished() {
		e.finishedAt = q.stampOf(now)
	}
	q.torrents[id] = e
	if !t.State.finished() {
		q.insert(e, len(q.order))
	}
	if q.runs(e) {
		q.start(e, now)
	}
	q.dirty = true
	return true
}

// Remove takes a torrent out of the queue; the torrents behind it move up
// one position and a pass becomes due within a second (a slot may be
// free).
func (q *Queue[ID]) Remove(id ID) {
	e, ok := q.torrents[id]
	if !ok {
		return
	}
	if e.pos >= 0 {
		q.erase(e)
	}
	delete(q.torrents, id)
	delete(q.running, id)
	e.pending = 0 // its heap item is stale
	q.dirty = true
}

// SetPaused sets the torrent's paused flag (the user's Pause and Resume)
// and reports whether the torrent must now be paused or resumed: false
// when nothing changed or when the session is paused. It does not make a
// pass due (libtorrent neither): the regular pass applies the queue's view
// to auto-managed torrents.
func (q *Queue[ID]) SetPaused(now time.Time, id ID, paused bool) bool {
	e, ok := q.torrents[id]
	if !ok || e.paused == paused {
		return false
	}
	return q.setPaused(e, paused, now)
}

// setPaused sets e's flag and starts or stops its run; it reports whether
// the torrent's run state changed.
func (q *Queue[ID]) setPaused(e *entry[ID], paused bool, now time.Time) bool {
	was := q.runs(e)
	e.paused = paused
	switch is := q.runs(e); {
	case is && !was:
		q.start(e, now)
	case !is && was:
		q.stop(e, now)
	default:
		return false
	}
	return true
}

// SetAutoManaged puts the torrent under the queue or takes it out. Taken
// out, it keeps its paused flag (a queued torrent stays paused until the
// user resumes it). A pass becomes due within a second.
func (q *Queue[ID]) SetAutoManaged(id ID, auto bool) {
	e, ok := q.torrents[id]
	if !ok || e.autoManaged == auto {
		return
	}
	e.autoManaged = auto
	q.dirty = true
}

// SetError marks the torrent as failed (or recovered). A failed torrent
// is in no list: it takes no slot and the queue does not touch it. A pass
// becomes due within a second.
func (q *Queue[ID]) SetError(id ID, failed bool) {
	e, ok := q.torrents[id]
	if !ok || e.failed == failed {
		return
	}
	e.failed = failed
	q.dirty = true
}

// SetState records what the torrent does now, with libtorrent's queue
// position rules: a torrent that becomes finished gives up its position
// (the ones behind move up); one that stops being finished (files wanted
// again) takes the last position; one that starts checking (a recheck)
// moves to the last position, finished or not, and gives it up again if
// the check finds it finished. A pass becomes due within a second.
func (q *Queue[ID]) SetState(now time.Time, id ID, s State) {
	e, ok := q.torrents[id]
	if !ok || e.state == s {
		return
	}
	old := e.state
	if e.started != 0 {
		q.accrue(e, now) // the finished clock may start or stop here
	}
	e.state = s
	switch {
	case s == StateChecking:
		q.place(e, len(q.order))
	case s.finished() && e.pos >= 0:
		q.erase(e)
	case !s.finished() && e.pos < 0:
		q.insert(e, len(q.order))
	}
	if s.finished() && !old.finished() {
		e.finishedAt = q.stampOf(now)
	}
	if s == StateChecking || old == StateChecking {
		// A checking torrent is not judged by its rate, and one out of a
		// check starts looking for peers: it gets the grace of a torrent
		// just started.
		e.inactive = false
		q.setPending(e, time.Time{})
		e.stats.DownloadRate, e.stats.UploadRate = 0, 0
	}
	q.track(e, now)
	q.dirty = true
}

// SetSessionPaused pauses or resumes the session and returns the
// torrents whose run state changes with it (every running torrent when
// pausing, every torrent whose flag lets it run when resuming), in no
// particular order. No pass runs while the session is paused; one is due
// within a second of resuming.
func (q *Queue[ID]) SetSessionPaused(now time.Time, paused bool) []ID {
	if q.sessionPaused == paused {
		return nil
	}
	var changed []ID
	if paused {
		for id, e := range q.running {
			q.stop(e, now)
			changed = append(changed, id)
		}
		q.sessionPaused = true
		return changed
	}
	q.sessionPaused = false
	for id, e := range q.torrents {
		if q.runs(e) {
			q.start(e, now)
			changed = append(changed, id)
		}
	}
	q.dirty = true
	return changed
}

// SessionPaused reports whether the session is paused.
func (q *Queue[ID]) SessionPaused() bool { return q.sessionPaused }

// Has reports whether id is in the queue.
func (q *Queue[ID]) Has(id ID) bool {
	_, ok := q.torrents[id]
	return ok
}

// Paused reports the torrent's own paused flag (false if unknown). A
// torrent runs when its flag is clear and the session is not paused.
func (q *Queue[ID]) Paused(id ID) bool {
	e, ok := q.torrents[id]
	return ok && e.paused
}

// AutoManaged reports whether the queue manages the torrent.
func (q *Queue[ID]) AutoManaged(id ID) bool {
	e, ok := q.torrents[id]
	return ok && e.autoManaged
}

// Queued reports whether the torrent waits for a slot: paused and
// auto-managed, the way libtorrent clients tell "queued" from "paused".
func (q *Queue[ID]) Queued(id ID) bool {
	e, ok := q.torrents[id]
	return ok && e.paused && e.autoManaged
}

// Running reports whether the torrent runs: its flag is clear and the
// session is not paused.
func (q *Queue[ID]) Running(id ID) bool {
	_, ok := q.running[id]
	return ok
}

// runs reports whether e should be running given its flag and the
// session's.
func (q *Queue[ID]) runs(e *entry[ID]) bool { return !e.paused && !q.sessionPaused }
