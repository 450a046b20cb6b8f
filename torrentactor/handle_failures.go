package torrentactor

import (
	"fmt"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// HandleFailure makes the torrent actor its children's supervisor
// strategy: the announcer is handled by supervisor.KindAnnouncer's, every
// other child (a peer) by supervisor.KindPeer's.
func (a *Actor) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor, child *actor.PID,
	rs *actor.RestartStatistics, reason any, message any) {
	kind := supervisor.KindPeer
	if child.Equal(a.trk.pid) {
		kind = supervisor.KindAnnouncer
	}
	a.cfg.Supervision.Strategy(kind).HandleFailure(sys, sup, child, rs, reason, message)
}

// handleChildFailed: a peer failed and was stopped (its Terminated
// follows), or the announcer failed and is being restarted.
func (a *Actor) handleChildFailed(ctx actor.Context, m *messages.ChildFailed) {
	if m.Child.Equal(a.trk.pid) {
		a.handleAnnouncerFailed(ctx)
		return
	}
	a.handlePeerFailed(ctx, m)
}

// handleAnnouncerFailed brings the restarted announcer up to date: it
// starts from the trackers and settings the torrent was added with, so it
// gets the torrent's current list and settings, and is told to announce if it was. These wait
// in its mailbox until the restart.
func (a *Actor) handleAnnouncerFailed(ctx actor.Context) {
	ctx.Send(a.trk.pid, &messages.ReplaceTrackers{Tiers: cloneTiers(a.trk.tiers)})
	ctx.Send(a.trk.pid, &messages.SettingsChanged{Settings: a.set})
	filters{a}.syncTrackerFilter(ctx, true)
	if a.trk.announcing {
		a.trk.sent = trackers{a}.announceStats()
		ctx.Send(a.trk.pid, &messages.StartAnnouncing{Stats: a.trk.sent})
	}
}

// handleMessageFailed: the torrent actor failed on a message and was
// resumed (supervisor.KindTorrent). What it was doing is unknown, so the
// torrent goes to the error state (torrent_error, ErrTorrentActorFailed);
// its handle stays valid and ClearError resumes it after checking the
// files again. The message's sender gets an error, an incoming connection
// is closed, and a removal is carried out.
func (a *Actor) handleMessageFailed(ctx actor.Context, m *messages.MessageFailed) {
	switch orig := m.Message.(type) {
	case *messages.AttachPeer:
		orig.Conn.Close()
	case *messages.RemoveTorrent:
		// A removal must happen (the session, or its Close, waits for
		// this actor to stop): do it now.
		a.handleRemove(ctx, orig)
		return
	}
	if m.Sender != nil {
		ctx.Send(m.Sender, messages.FailedReply(m.Reason))
	}
	a.change(ctx, event{kind: evActorFailed, err: fmt.Errorf("%w: %s", ErrTorrentActorFailed, m.Reason)})
}
