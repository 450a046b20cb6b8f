package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
)

// ticker is the torrent's timers: the tick while there is periodic work, one wake-up for what
// comes due otherwise, none for an idle torrent. A view of the actor, not a part of it: the state
// stays in the actor (1000 of its size class's 1024 bytes), the type names the concern's methods.
type ticker struct{ *Actor }

// An idle torrent costs nothing: the one-second tick (handleTick) runs
// only while the torrent has something periodic to do — connections
// (their stats come every second), candidates to connect to and room for
// them, a graceful pause waiting. Anything else that will come due (the
// end of a peer's reconnect wait, a disk retry) gets one timer for that
// moment. syncTick decides after every message, so whatever makes work
// due (a peer connecting or added to the list, a resume, a disk error)
// brings the tick back; when the tick stops, a last report tells the
// session the torrent's rates are zero.

type tick struct{}

const tickInterval = time.Second

// tickTimers are the repeating tick and the one-shot wake-up.
type tickTimers struct {
	cancel func() // the tick; nil while idle
	wake   scheduler.CancelFunc
	wakeAt time.Time
	// zeroAt (Unix ns, 0: none): a report carried bytes that the session
	// shows as the last second's rate (tracker traffic); one more report
	// zeroes it then. Nanoseconds, not a time.Time: 16 bytes a torrent.
	zeroAt  int64
	stopped bool // the actor is stopping: arm nothing
}

// syncTick runs after every message: it closes the time intervals the
// message ended, and starts or stops the tick to match what is due.
func (a ticker) syncTick(ctx actor.Context) {
	if a.ticks.stopped {
		return
	}
	now := time.Now()
	a.clock.sync(now, a.life.clockMode(a.have.All()))
	if a.ticks.zeroAt != 0 && now.UnixNano() >= a.ticks.zeroAt {
		a.ticks.zeroAt = 0 // the wake-up's tick reported
	}
	next := a.nextDue(now)
	if !next.IsZero() && !next.After(now) {
		a.disarmWake()
		if a.ticks.cancel == nil {
			a.ticks.cancel = actors.SendRepeatedly(ctx, tickInterval, tickInterval, ctx.Self(), &tick{})
		}
		return
	}
	if a.ticks.cancel != nil || a.statsPending() {
		if a.statsPending() {
			at := now.Add(tickInterval)
			a.ticks.zeroAt = at.UnixNano()
			next = earliest(next, at)
		}
		a.stopTicking()
		trackers{a.Actor}.tickTrackers(ctx)
		a.reportStats(ctx) // rates back to zero, the last bytes counted
	}
	a.armWake(ctx, now, next)
}

// nextDue is when the torrent next has work: now while it has periodic
// work, the first moment something comes due otherwise, zero for never.
func (a ticker) nextDue(now time.Time) time.Time {
	if a.peers.len() > 0 || a.life.pausing() {
		return now
	}
	var next time.Time
	if a.canConnectOut() && a.peers.len() < a.maxPeers() {
		next = a.plist.NextCandidate(now, a.life.finished)
	}
	if e := a.diskErr; e.uploadMode && a.life.autoManaged {
		next = earliest(next, e.since.Add(a.set.Seconds(settings.OptimisticDiskRetry)))
	}
	if a.ticks.zeroAt != 0 {
		next = earliest(next, time.Unix(0, a.ticks.zeroAt))
	}
	return next
}

// earliest of two moments, the zero time meaning none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// canConnectOut: the torrent may open connections (connectMore's rule).
// A finished torrent waits for peers to come, unless
// seeding_outgoing_connections is set.
func (a ticker) canConnectOut() bool {
	return a.active() && (utpPeers{a.Actor}).canDialOut() &&
		(!a.life.finished || a.set.Bool(settings.SeedingOutgoingConnections))
}

// statsPending: bytes counted since the last report.
func (a ticker) statsPending() bool {
	c := &a.counters
	return c.dDownload|c.dUpload|c.dPayloadDownload|c.dPayloadUpload|c.dFailed|c.dRedundant|a.trk.dUp|a.trk.dDown != 0
}

// armWake sets the one-shot wake-up for at (zero: none), keeping the one
// already set for that moment. It sends a tick: the tick's work is what
// comes due.
func (a ticker) armWake(ctx actor.Context, now, at time.Time) {
	if at.Equal(a.ticks.wakeAt) && (a.ticks.wake != nil || at.IsZero()) {
		return
	}
	a.disarmWake()
	if at.IsZero() {
		return
	}
	a.ticks.wakeAt = at
	a.ticks.wake = scheduler.NewTimerScheduler(ctx).SendOnce(max(at.Sub(now), time.Millisecond), ctx.Self(), &tick{})
}

func (a ticker) disarmWake() {
	if a.ticks.wake != nil {
		a.ticks.wake()
	}
	a.ticks.wake, a.ticks.wakeAt = nil, time.Time{}
}

func (a ticker) stopTicking() {
	if a.ticks.cancel != nil {
		a.ticks.cancel()
		a.ticks.cancel = nil
	}
}

// stopTimers cancels both timers for good (the actor stops).
func (a ticker) stopTimers() {
	a.ticks.stopped = true
	a.stopTicking()
	a.disarmWake()
}
