package sessionactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/queue"
	"github.com/actorrent/actorrent/internal/resume"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// The auto-manage queue (libtorrent's session queueing) is a pure value
// (internal/queue) the session feeds and whose decisions it carries out:
// torrents are added and removed with the registry, their state, error
// and rates come with their stats every second, and the user's Pause,
// Resume, AutoManaged and queue moves pass through here on their way to
// the torrent. One timer wakes the session when the queue says a pass is
// due; a pass resumes torrents and pauses others gracefully, and each
// torrent posts torrent_resumed / torrent_paused itself.

// queueWake is the queue's timer firing; stale ones (gen) are ignored.
type queueWake struct{ gen int }

// queueTimer is the one armed wake-up.
type queueTimer struct {
	t   *time.Timer
	at  time.Time
	gen int
}

// queueSettings maps the settings snapshot onto the queue's.
func queueSettings(s *settings.Snapshot) queue.Settings {
	return queue.Settings{
		ActiveDownloads:       s.Int(settings.ActiveDownloads),
		ActiveSeeds:           s.Int(settings.ActiveSeeds),
		ActiveLimit:           s.Int(settings.ActiveLimit),
		AutoManageInterval:    s.Seconds(settings.AutoManageInterval),
		AutoManageStartup:     s.Seconds(settings.AutoManageStartup),
		AutoManagePreferSeeds: s.Bool(settings.AutoManagePreferSeeds),
		DontCountSlowTorrents: s.Bool(settings.DontCountSlowTorrents),
		InactiveDownRate:      int64(s.Int(settings.InactiveDownRate)),
		InactiveUpRate:        int64(s.Int(settings.InactiveUpRate)),
		ShareRatioLimit:       s.Int(settings.ShareRatioLimit),
		SeedTimeRatioLimit:    s.Int(settings.SeedTimeRatioLimit),
		SeedTimeLimit:         s.Seconds(settings.SeedTimeLimit),
	}
}

// queueState maps a torrent state onto the queue's.
func queueState(s messages.TorrentState) queue.State {
	switch s {
	case messages.StateDownloading, messages.StateDownloadingMetadata:
		return queue.StateDownloading
	case messages.StateFinished:
		return queue.StateFinished
	case messages.StateSeeding:
		return queue.StateSeeding
	}
	return queue.StateChecking
}

// addFlags resolves the paused and auto_managed flags a torrent starts
// with: the resume data's, unless the caller overrides them (the torrent
// applies the same rule to itself).
func addFlags(m *messages.AddTorrent) (paused, auto bool) {
	paused = m.Flags&messages.FlagPaused != 0
	auto = m.Flags&messages.FlagAutoManaged != 0
	if len(m.ResumeData) > 0 && m.Flags&messages.FlagOverrideResumeData == 0 {
		if d, err := resume.Decode(m.ResumeData); err == nil {
			paused, auto = d.Paused, d.AutoManaged
		}
	}
	return paused, auto
}

// queueAdd follows a new torrent's spawning (it entered the queue just
// before, enterQueue): it tells the torrent the session is paused, and
// runs a pass when one is due.
func (a *Actor) queueAdd(ctx actor.Context, ih messages.InfoHash) {
	e := a.torrents[ih]
	if a.q.SessionPaused() {
		ctx.Send(e.pid, &messages.SessionPausedChanged{Paused: true})
	}
	// A new torrent takes the last position: the others keep theirs.
	a.syncPositions(ctx)
	a.pumpQueue(ctx)
}

// enterQueue puts a torrent being added in the queue, before its actor
// is spawned (queueAdd follows once it is).
func enterQueue(q *queue.Queue[messages.InfoHash], ih messages.InfoHash, m *messages.AddTorrent) {
	paused, auto := addFlags(m)
	q.Add(time.Now(), ih, queue.Torrent{AutoManaged: auto, Paused: paused, State: queue.StateChecking})
}

// queueChanged follows a torrent's removal (forget took it out of the
// queue): the others move up, and a slot may be free.
func (a *Actor) queueChanged(ctx actor.Context) {
	a.syncPositions(ctx)
	a.pumpQueue(ctx)
}

// handleStateUpdate: a torrent's state changed.
func (a *Actor) handleStateUpdate(ctx actor.Context, m *messages.TorrentStateUpdate) {
	if e := a.torrents[m.InfoHash]; e != nil {
		a.queueState(ctx, e, m.InfoHash, m.State, m.Errored)
		a.pumpQueue(ctx)
	}
}

// queueState tells the queue a torrent's state and error, when changed.
func (a *Actor) queueState(ctx actor.Context, e *entry, ih messages.InfoHash, s messages.TorrentState, errored bool) {
	if st := queueState(s); st != e.qstate || !e.observed {
		e.qstate, e.observed = st, true
		a.q.SetState(time.Now(), ih, st)
		a.syncPositions(ctx) // a finished torrent leaves the download queue
	}
	if errored != e.qerror {
		e.qerror = errored
		a.q.SetError(ih, errored)
	}
}

// queueObserve feeds a torrent's stats to the queue.
func (a *Actor) queueObserve(ctx actor.Context, e *entry, m *messages.TorrentStatsUpdate) {
	now := time.Now()
	ih := m.InfoHash
	a.queueState(ctx, e, ih, m.State, m.Errored)
	if !a.q.AutoManaged(ih) {
		return // its rates decide nothing: the queue leaves it alone
	}
	seeds := m.NumComplete
	if seeds > 0 && e.qstate == queue.StateSeeding {
		seeds-- // the scrape counts us
	}
	a.q.Observe(now, ih, queue.Stats{
		DownloadRate: int64(m.PayloadDownloadRate), UploadRate: int64(m.PayloadUploadRate),
		TotalDownload: m.AllTimeDownload, TotalUpload: m.AllTimeUpload, Size: m.TotalWanted,
		ActiveTime: m.ActiveTime, FinishedTime: m.FinishedTime,
		Seeds: max(seeds, 0), Leechers: max(m.NumIncomplete, 0),
	})
	a.pumpQueue(ctx)
}

// queueCommand intercepts the user's commands the queue must know of on
// their way to the torrent; it reports whether it answered the caller.
func (a *Actor) queueCommand(ctx actor.Context, ih messages.InfoHash, msg any) bool {
	now := time.Now()
	switch m := msg.(type) {
	case *messages.GetTorrentStatus:
		m.SeedRank = a.q.SeedRank(now, ih) // the queue ranks the seeds
		return false
	case *messages.PauseTorrent:
		a.q.SetPaused(now, ih, true)
	case *messages.ResumeTorrent:
		a.q.SetPaused(now, ih, false)
	case *messages.SetAutoManaged:
		a.q.SetAutoManaged(ih, m.On)
	case *messages.QueueMove:
		switch m.Op {
		case messages.QueueUp:
			a.q.Up(ih)
		case messages.QueueDown:
			a.q.Down(ih)
		case messages.QueueTop:
			a.q.Top(ih)
		case messages.QueueBottom:
			a.q.Bottom(ih)
		case messages.QueueSet:
			a.q.Set(ih, m.Pos)
		}
		a.syncPositions(ctx)
		a.pumpQueue(ctx)
		ctx.Respond(&messages.Ack{})
		return true
	default:
		return false
	}
	a.pumpQueue(ctx)
	return false
}

// syncPositions tells every torrent whose queue position changed (the
// queue lists them: a loop over every torrent made adding n torrents cost
// n² when each one's state changed).
func (a *Actor) syncPositions(ctx actor.Context) {
	for _, ih := range a.q.Moved() {
		e := a.torrents[ih]
		if e == nil {
			continue
		}
		if p := a.q.Position(ih); p != e.qpos {
			e.qpos = p
			ctx.Send(e.pid, &messages.QueuePositionChanged{Pos: p})
		}
	}
}

// pumpQueue runs a pass when one is due and arms the timer for the next.
func (a *Actor) pumpQueue(ctx actor.Context) {
	if a.closing {
		return
	}
	now := time.Now()
	if next := a.q.Next(now); !next.IsZero() && !next.After(now) {
		d := a.q.Decide(now)
		for _, ih := range d.Start {
			if e := a.torrents[ih]; e != nil {
				ctx.Send(e.pid, &messages.ResumeTorrent{})
			}
		}
		for _, ih := range d.Pause {
			if e := a.torrents[ih]; e != nil {
				ctx.Send(e.pid, &messages.PauseTorrent{Graceful: true})
			}
		}
	}
	a.armQueue(ctx, a.q.Next(now))
}

// armQueue arms the one timer for at (zero: none).
func (a *Actor) armQueue(ctx actor.Context, at time.Time) {
	t := &a.qtimer
	if at.Equal(t.at) && (t.t != nil || at.IsZero()) {
		return
	}
	if t.t != nil {
		t.t.Stop()
		t.t = nil
	}
	t.gen++
	t.at = at
	if at.IsZero() {
		return
	}
	root, self, gen := ctx.ActorSystem().Root, ctx.Self(), t.gen
	t.t = time.AfterFunc(time.Until(at), func() { root.Send(self, &queueWake{gen: gen}) })
}

func (a *Actor) handleQueueWake(ctx actor.Context, m *queueWake) {
	if m.gen != a.qtimer.gen {
		return
	}
	a.qtimer.t, a.qtimer.at = nil, time.Time{}
	a.pumpQueue(ctx)
}

// stopQueueTimer disarms the timer (the session stops).
func (a *Actor) stopQueueTimer() {
	if a.qtimer.t != nil {
		a.qtimer.t.Stop()
		a.qtimer.t = nil
	}
}

// handlePauseSession pauses (or resumes) every torrent without touching
// their own flags, as libtorrent's session::pause: they stop or start,
// and post torrent_paused / torrent_resumed.
func (a *Actor) handlePauseSession(ctx actor.Context, paused bool) {
	if paused != a.q.SessionPaused() {
		a.q.SetSessionPaused(time.Now(), paused)
		for _, e := range a.torrents {
			ctx.Send(e.pid, &messages.SessionPausedChanged{Paused: paused})
		}
		a.pumpQueue(ctx)
	}
	ctx.Respond(&messages.Ack{})
}
