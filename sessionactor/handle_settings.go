package sessionactor

import (
	"slices"
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleApplySettings validates the values over the current settings and,
// when they change anything, hands the new snapshot to every actor that
// reads settings: the alert queue, the disk, the torrents (which pass it
// to their peers and announcers), and applies the session's own: listen
// sockets, tracker clients, the connection slots, the disk credit and
// the connection budget.
func (a *Actor) handleApplySettings(ctx actor.Context, m *messages.ApplySettings) {
	next, err := a.set.With(m.Values)
	if err != nil {
		ctx.Respond(&messages.ApplySettingsReply{Err: err})
		return
	}
	old := a.set
	changed := old.Changed(next)
	a.set = next
	if len(changed) > 0 {
		a.settingsChanged(ctx, old, changed)
	}
	if !slices.Contains(changed, settings.ListenInterfaces.Name()) {
		ctx.Respond(&messages.ApplySettingsReply{})
		return
	}
	// The caller hears back once the old sockets are closed and the new
	// ones listen.
	caller := ctx.Sender()
	a.relisten(ctx, func() {
		lsdControl{a}.restart(ctx) // the new addresses and ports
		portmapControl{a}.update(ctx)
		dhtControl{a}.listenChanged(ctx)
		if caller != nil {
			ctx.Send(caller, &messages.ApplySettingsReply{})
		}
	})
}

func (a *Actor) settingsChanged(ctx actor.Context, old *settings.Snapshot, changed []string) {
	s := a.set
	msg := &messages.SettingsChanged{Settings: s}
	if old.Int(settings.AlertMask) != s.Int(settings.AlertMask) {
		ctx.Send(a.alerts, &messages.SetAlertMask{Mask: messages.AlertCategory(s.Int(settings.AlertMask))})
	}
	if old.Int(settings.AlertQueueSize) != s.Int(settings.AlertQueueSize) {
		ctx.Send(a.alerts, &messages.SetAlertQueueSize{Size: s.Int(settings.AlertQueueSize)})
	}
	a.conns.SetLimit(s.Int(settings.ConnectionsLimit))
	a.uploadSlots.SetLimit(s.Int(settings.UnchokeSlotsLimit))
	a.credit.SetLimit(int64(s.Int(settings.MaxQueuedDiskBytes)))
	a.connectBudget.SetRate(s.Int(settings.ConnectionSpeed))
	a.trackerSettingsChanged(old)
	dhtControl{a}.settingsChanged(ctx, old)
	if queueSettings(old) != queueSettings(s) {
		a.q.SetSettings(time.Now(), queueSettings(s))
		a.pumpQueue(ctx)
	}
	a.applyBandwidthSettings(old)
	utpTransport{a}.settingsChanged(old)
	ctx.Send(a.disk, msg)
	lsdControl{a}.settingsChanged(ctx, old, msg)
	portmapControl{a}.settingsChanged(ctx, old)
	for _, e := range a.torrents {
		ctx.Send(e.pid, msg)
	}
}
