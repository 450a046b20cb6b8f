package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/messages"
)

// The torrent's lifecycle is one value: which messages it handles now (its
// phase), the state its status shows, and the flags that decide whether
// it runs (paused by itself or with the session, auto-managed, removing,
// failed, finished). Every change goes through apply, which returns the
// next value and what the actor must do about it, in order; the actor
// carries the effects out (carryOut, handle_lifecycle.go). So the rules —
// a torrent runs only while neither it nor the session is paused, a
// paused torrent's check waits, an error stops it until ClearError — live
// in one place, table-tested state by event (lifecycle_test.go), instead of
// in flags set by hand next to protoactor behaviors.

// phase is which messages the torrent handles (the handlers in states.go).
type phase uint8

const (
	phaseChecking phase = iota // what is had is being found out; no peers yet
	phaseMetadata              // downloading_metadata (added by info-hash)
	phaseActive                // downloading or seeding, with peers
	phaseError                 // stopped until ClearError
)

// lifecycle is the torrent's state and flags.
type lifecycle struct {
	phase phase
	state messages.TorrentState
	// paused is the torrent's own flag (the user's, or the queue's);
	// sessionPaused the whole session's. It runs when neither is.
	paused, sessionPaused bool
	autoManaged           bool
	removing              bool
	finished              bool
	// actorFailed: the actor failed and was resumed; its picker may have
	// lost a message, so ClearError checks the files again.
	actorFailed bool
	// checkDeferred: added paused, its check waits for a resume
	// (check_deferred.go).
	checkDeferred bool
	err           error
	// gracefulSince is when a graceful pause began (zero: none under way).
	gracefulSince time.Time
}

// newLifecycle is the lifecycle of a torrent just made: fetching its
// metadata (magnet), or about to check its files (or its resume data).
func newLifecycle(magnet, resumeData bool) lifecycle {
	switch {
	case magnet:
		return lifecycle{phase: phaseMetadata, state: messages.StateDownloadingMetadata}
	case resumeData:
		return lifecycle{state: messages.StateCheckingResumeData}
	}
	return lifecycle{state: messages.StateCheckingFiles}
}

// runs: neither the torrent nor the session is paused.
func (l *lifecycle) runs() bool { return !l.paused && !l.sessionPaused }

// checking: the torrent does not know yet which pieces it has.
func (l *lifecycle) checking() bool {
	switch l.state {
	case messages.StateCheckingFiles, messages.StateCheckingResumeData, messages.StateQueuedForChecking:
		return true
	}
	return false
}

// pausing: a graceful pause is under way.
func (l *lifecycle) pausing() bool { return !l.gracefulSince.IsZero() }

// eventKind names what happened to the torrent.
type eventKind uint8

const (
	evFlags         eventKind = iota // the add flags or resume data set paused and auto-managed
	evPause                          // PauseTorrent
	evResume                         // ResumeTorrent
	evSessionPaused                  // the session paused or resumed
	evAutoManaged                    // SetAutoManaged
	evPauseDone                      // a graceful pause has nothing left to wait for
	evRemove                         // RemoveTorrent
	evCheck                          // a check starts (or a recheck)
	evDeferCheck                     // the full check waits for a resume
	evFullCheck                      // the full check starts now
	evCheckState                     // the check's progress says which state it is in
	evChecked                        // the check ended
	evFinished                       // every wanted piece is had
	evUnfinished                     // a priority change wants pieces again
	evMetadata                       // fetching the metadata (again)
	evError                          // something failed that needs the user
	evActorFailed                    // the actor failed on a message and was resumed
	evClearError                     // ClearError
	evRecheck                        // ForceRecheck
)

// event is what happened, with what the transition needs to know of it.
type event struct {
	kind eventKind
	// on: evPause graceful; evSessionPaused, evAutoManaged the new value;
	// evFlags paused; evChecked all wanted pieces had.
	on bool
	// auto: evFlags auto-managed.
	auto bool
	// state: evCheckState the check's state; evChecked and evFinished the
	// complete state (seeding or finished).
	state messages.TorrentState
	err   error     // evError, evActorFailed
	now   time.Time // evPause
	// canWait: evPause, the torrent has requests a graceful pause can
	// wait for (it has a picker). fetching: evClearError, the metadata is
	// not known yet; checked: evClearError, the files were checked.
	canWait, fetching, checked bool
}

// effect is something the actor does after a transition.
type effect uint8

const (
	effSave            effect = iota + 1 // resume data changed (needSave)
	effStateChanged                      // state_changed alert and the session's TorrentStateUpdate
	effPostPaused                        // torrent_paused, nothing else to stop
	effPostResumed                       // torrent_resumed
	effSyncAnnounce                      // start or stop announcing to match
	effCloseIdle                         // a graceful pause closes the idle connections
	effFinishPause                       // close connections and files, torrent_paused
	effStartCheck                        // run the full check a pause put off
	effConnect                           // connect to peers from the list
	effDisconnect                        // close every connection
	effPostError                         // torrent_error
	effRemove                            // tell trackers, then remove the files and stop (the caller's)
	effRegister                          // register the storage with the disk again
	effForgetResume                      // trust no resume data in the next check
	effCheckAgain                        // check the files (startCheck)
	effResumeMetadata                    // fetch the metadata again
	effLeaveUploadMode                   // a full disk's upload mode ends with ClearError
)

// apply returns the lifecycle after ev and the effects, in the order the
// actor carries them out.
func (l lifecycle) apply(ev event) (lifecycle, []effect) {
	var eff []effect
	do := func(e ...effect) { eff = append(eff, e...) }
	setState := func(s messages.TorrentState) {
		if s != l.state {
			l.state = s
			do(effSave, effStateChanged)
		}
	}
	switch ev.kind {
	case evFlags:
		l.paused, l.autoManaged = ev.on, ev.auto
		l.gracefulSince = time.Time{} // set at the start: nothing to wait for
	case evPause:
		if l.paused || l.removing {
			if !ev.on && l.pausing() {
				l.gracefulSince = time.Time{} // a hard pause ends a graceful one now
				do(effFinishPause)
			}
			break
		}
		wasRunning := l.runs()
		l.paused = true
		do(effSave)
		switch {
		case !wasRunning:
			do(effPostPaused)
		case ev.on && ev.canWait:
			l.gracefulSince = ev.now
			do(effSyncAnnounce, effCloseIdle)
		default:
			do(effSyncAnnounce, effFinishPause)
		}
	case evResume:
		if !l.paused || l.removing {
			break
		}
		l.paused = false
		do(effSave)
		if l.sessionPaused {
			do(effPostResumed)
			break
		}
		eff = append(eff, l.start()...)
	case evSessionPaused:
		if ev.on == l.sessionPaused || l.removing {
			l.sessionPaused = ev.on
			break
		}
		wasRunning := l.runs()
		l.sessionPaused = ev.on
		switch {
		case wasRunning && !l.runs():
			do(effSyncAnnounce, effFinishPause)
		case !wasRunning && l.runs():
			eff = append(eff, l.start()...)
		}
	case evAutoManaged:
		l.autoManaged = ev.on
		do(effSave)
		if ev.on && l.canStartDeferred() {
			// The queue starts only checked torrents: check now.
			l.checkDeferred = false
			do(effStartCheck)
		}
	case evPauseDone:
		if l.pausing() {
			l.gracefulSince = time.Time{}
			do(effFinishPause)
		}
	case evRemove:
		if l.removing {
			break
		}
		l.removing = true
		do(effDisconnect, effRemove)
	case evCheck:
		l.phase = phaseChecking
		do(effSyncAnnounce)
	case evDeferCheck:
		l.checkDeferred = true
		setState(messages.StateCheckingFiles)
	case evFullCheck:
		l.checkDeferred = false
		setState(messages.StateCheckingFiles)
	case evCheckState:
		setState(ev.state)
	case evChecked:
		l.phase = phaseActive
		if ev.on {
			l.finished = true
			setState(ev.state)
		} else {
			setState(messages.StateDownloading)
		}
	case evFinished:
		l.finished = true
		setState(ev.state)
	case evUnfinished:
		if l.finished {
			l.finished = false
			setState(messages.StateDownloading)
		}
	case evMetadata:
		l.phase = phaseMetadata
		if l.runs() && l.err == nil && !l.removing {
			do(effConnect)
		}
		do(effSyncAnnounce)
	case evError:
		l.err = ev.err
		l.phase = phaseError
		do(effDisconnect, effSyncAnnounce, effPostError)
	case evActorFailed:
		if l.removing {
			break
		}
		l.actorFailed = true
		if l.err == nil {
			return l.apply(event{kind: evError, err: ev.err})
		}
	case evClearError:
		eff = append(eff, l.clearError(ev)...)
	case evRecheck:
		if l.removing {
			break
		}
		l.err = nil
		l.finished = false
		do(effDisconnect, effForgetResume, effCheckAgain)
	}
	return l, eff
}

// canStartDeferred: a check put off by a pause may run now.
func (l *lifecycle) canStartDeferred() bool {
	return l.checkDeferred && !l.removing && l.err == nil
}

// start is what a torrent that starts running does: it says so, runs the
// check it put off, and connects and announces once past its check.
func (l *lifecycle) start() []effect {
	l.gracefulSince = time.Time{} // resumed before a graceful pause finished
	eff := []effect{effPostResumed}
	if l.canStartDeferred() {
		l.checkDeferred = false
		eff = append(eff, effStartCheck)
	}
	if !l.checking() && l.err == nil {
		eff = append(eff, effConnect)
	}
	return append(eff, effSyncAnnounce)
}

// clearError takes the torrent out of the error state: back to fetching
// its metadata, to a check (after its actor failed, or when the error came
// before its check ended), or to downloading.
func (l *lifecycle) clearError(ev event) []effect {
	if l.removing {
		return nil
	}
	eff := []effect{effLeaveUploadMode}
	if l.err == nil {
		return eff
	}
	l.err = nil
	eff = append(eff, effSave)
	switch {
	case ev.fetching:
		l.phase = phaseMetadata
		if l.runs() {
			eff = append(eff, effConnect)
		}
		return append(eff, effSyncAnnounce, effResumeMetadata)
	case l.actorFailed:
		// The actor may have lost a message (a piece's hash result, a
		// block): what is on disk is found again by a check, what was
		// only in memory is fetched again.
		l.actorFailed = false
		l.finished = false
		return append(eff, effRegister, effForgetResume, effCheckAgain)
	case !ev.checked:
		return append(eff, effCheckAgain) // the error came before the check ended
	}
	l.phase = phaseActive
	if l.runs() {
		eff = append(eff, effConnect)
	}
	return append(eff, effSyncAnnounce)
}
