package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// A torrent runs only while neither it (its own flag: the user's pause or
// the auto-manage queue's) nor the session is paused. Stopping closes its
// connections, tells its trackers, releases its files and posts
// torrent_paused; a graceful pause first lets the blocks already
// requested arrive (no new requests go out) and closes each connection
// once it has nothing outstanding, within request_timeout.

// gracefulPause is a graceful pause under way.
type gracefulPause struct {
	on    bool
	since time.Time
}

// isPaused: the torrent does not run (its own flag or the session's).
func (a *Actor) isPaused() bool { return a.paused || a.sessionPaused }

func (a *Actor) handlePause(ctx actor.Context, m *messages.PauseTorrent) {
	if a.paused || a.removing {
		if !m.Graceful && a.graceful.on {
			a.finishPause(ctx) // a hard pause ends a graceful one now
		}
		return
	}
	wasRunning := !a.isPaused()
	a.paused = true
	a.resume.needSave = true
	if !wasRunning {
		a.post(ctx, &messages.TorrentPausedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
		return
	}
	a.stopRunning(ctx, m.Graceful)
}

func (a *Actor) handleResume(ctx actor.Context) {
	if !a.paused || a.removing {
		return
	}
	a.paused = false
	a.resume.needSave = true
	if a.sessionPaused {
		a.post(ctx, &messages.TorrentResumedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
		return
	}
	a.startRunning(ctx)
}

// handleSessionPaused applies the session's pause: the torrent stops or
// starts as if paused itself, its own flag untouched.
func (a *Actor) handleSessionPaused(ctx actor.Context, m *messages.SessionPausedChanged) {
	if m.Paused == a.sessionPaused || a.removing {
		a.sessionPaused = m.Paused
		return
	}
	wasRunning := !a.isPaused()
	a.sessionPaused = m.Paused
	switch {
	case wasRunning && a.isPaused():
		a.stopRunning(ctx, false)
	case !wasRunning && !a.isPaused():
		a.startRunning(ctx)
	}
}

// stopRunning stops a running torrent, at once or gracefully.
func (a *Actor) stopRunning(ctx actor.Context, graceful bool) {
	a.syncAnnouncing(ctx)
	if graceful && a.picker != nil {
		a.graceful = gracefulPause{on: true, since: time.Now()}
		a.closeIdlePeers(ctx) // and again as blocks arrive, until none is outstanding
		return
	}
	a.finishPause(ctx)
}

// finishPause closes every connection and the files, and says so.
func (a *Actor) finishPause(ctx actor.Context) {
	a.graceful = gracefulPause{}
	a.disconnectAll(ctx, nil)
	// A paused torrent holds no open files (libtorrent's stop_torrent);
	// one still fetching its metadata, or whose check was put off, has
	// none registered.
	if a.registered {
		ctx.Request(a.cfg.Disk, &messages.DiskReleaseFiles{InfoHash: a.ih})
	}
	a.post(ctx, &messages.TorrentPausedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
}

// startRunning starts a stopped torrent.
func (a *Actor) startRunning(ctx actor.Context) {
	if a.graceful.on {
		a.graceful = gracefulPause{} // resumed before the pause finished
	}
	a.post(ctx, &messages.TorrentResumedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
	a.startDeferredCheck(ctx)
	if !a.isChecking() && a.errored == nil {
		a.connectMore(ctx)
	}
	a.syncAnnouncing(ctx)
}

// closeIdlePeers, during a graceful pause, closes the connections with no
// block outstanding, and finishes the pause when none is left or
// request_timeout has passed.
func (a *Actor) closeIdlePeers(ctx actor.Context) {
	if !a.graceful.on {
		return
	}
	if time.Since(a.graceful.since) >= a.set.Seconds(settings.RequestTimeout) {
		a.finishPause(ctx)
		return
	}
	open := 0
	for _, p := range a.peers {
		if p.closed || p.leaving {
			continue
		}
		if a.picker.NumOutstanding(piecepicker.PeerKey(p.key)) == 0 {
			p.leaving = true
			ctx.Send(p.pid, &messages.Disconnect{})
			continue
		}
		open++
	}
	if open == 0 {
		a.finishPause(ctx)
	}
}
