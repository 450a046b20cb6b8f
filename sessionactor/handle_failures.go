package sessionactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// HandleFailure makes the session actor its children's supervisor
// strategy: each child is handled by its kind's (supervisor.Strategy).
func (a *Actor) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor, child *actor.PID,
	rs *actor.RestartStatistics, reason any, message any) {
	a.cfg.Supervision.Strategy(a.kindOf(child)).HandleFailure(sys, sup, child, rs, reason, message)
}

func (a *Actor) kindOf(child *actor.PID) supervisor.Kind {
	switch {
	case child.Equal(a.alerts):
		return supervisor.KindAlert
	case child.Equal(a.disk):
		return supervisor.KindDisk
	case a.lsd != nil && child.Equal(a.lsd):
		return supervisor.KindLSD
	case portmapControl{a}.isChild(child):
		return supervisor.KindPortmap
	case dhtControl{a}.isChild(child):
		return supervisor.KindDHT
	}
	for _, l := range a.listeners {
		if child.Equal(l) {
			return supervisor.KindListener
		}
	}
	return supervisor.KindTorrent
}

// handleMessageFailed: the session failed on a message and was resumed,
// its registry intact. The message is answered or undone, never retried
// (a real bug would fail again), except Close, which must happen.
func (a *Actor) handleMessageFailed(ctx actor.Context, m *messages.MessageFailed) {
	switch orig := m.Message.(type) {
	case *messages.CloseSession:
		a.handleClose(ctx, m.Sender)
		return
	case *messages.IncomingConnection:
		orig.Conn.Close()
	case *messages.AddTorrent:
		if orig.Async {
			a.post(ctx, &messages.AddTorrentAlert{TorrentAlertHeader: messages.TorrentHeader(messages.InfoHash{}), Error: messages.FailedReply(m.Reason).Err, Params: orig.UserData})
		}
	}
	if m.Sender != nil {
		ctx.Send(m.Sender, messages.FailedReply(m.Reason))
	}
}
