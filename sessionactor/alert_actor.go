package sessionactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// AlertConfig sets up the alert actor.
type AlertConfig struct {
	// Mask selects the categories that are queued (alert_mask).
	Mask messages.AlertCategory
	// QueueSize bounds the queue (alert_queue_size).
	QueueSize int
	// Notify gets a non-blocking signal whenever the queue goes from empty
	// to non-empty; the facade's WaitForAlert selects on it.
	Notify chan<- struct{}
}

// alertActor owns the bounded alert queue, the dropped-alert accounting and
// the subscribers (DESIGN §3).
type alertActor struct {
	cfg     AlertConfig
	queue   []messages.Alert
	dropped map[string]int
	subs    map[*actor.PID]messages.AlertCategory
}

// NewAlertActor returns the alert actor's props.
func NewAlertActor(cfg AlertConfig) *actor.Props {
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 1000
	}
	return actor.PropsFromProducer(func() actor.Actor {
		return &alertActor{cfg: cfg, dropped: map[string]int{}, subs: map[*actor.PID]messages.AlertCategory{}}
	})
}

func (a *alertActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Terminated:
		delete(a.subs, m.Who)
		for pid := range a.subs {
			if pid.Equal(m.Who) {
				delete(a.subs, pid)
			}
		}
	case *messages.MessageFailed:
		// Resumed after a failure, the queue intact: do the message
		// once more, so that no alert is lost and no caller waits.
		a.handle(ctx, m.Message, m.Sender)
	default:
		a.handle(ctx, m, ctx.Sender())
	}
}

// handle does one request; replies go to sender (ctx's, or the one of a
// message handed back after a failure).
func (a *alertActor) handle(ctx actor.Context, msg any, sender *actor.PID) {
	reply := func(r any) {
		if sender != nil {
			ctx.Send(sender, r)
		}
	}
	switch m := msg.(type) {
	case *messages.PostAlert:
		a.handlePost(ctx, m)
	case *messages.PopAlerts:
		reply(a.pop())
	case *messages.CountAlerts:
		reply(&messages.CountAlertsReply{Queued: len(a.queue) + min(len(a.dropped), 1)})
	case *messages.SubscribeAlerts:
		a.subs[m.PID] = m.Mask
		ctx.Watch(m.PID)
		reply(&messages.Ack{})
	case *messages.UnsubscribeAlerts:
		delete(a.subs, m.PID)
		reply(&messages.Ack{})
	case *messages.SetAlertMask:
		a.cfg.Mask = m.Mask
	case *messages.SetAlertQueueSize:
		if m.Size > 0 {
			a.cfg.QueueSize = m.Size
		}
	}
}

// handlePost queues an alert in the mask (and those libtorrent posts
// whatever the mask: messages.AlwaysPosted). When the queue is full a
// discardable alert is dropped and counted by type; the others are kept
// (libtorrent never drops them).
func (a *alertActor) handlePost(ctx actor.Context, m *messages.PostAlert) {
	cat := m.Alert.Category()
	if cat&a.cfg.Mask == 0 && !messages.AlwaysPosted(m.Alert) {
		return
	}
	for pid, mask := range a.subs {
		if cat&mask != 0 {
			ctx.Send(pid, m)
		}
	}
	if len(a.queue) >= a.cfg.QueueSize && m.Alert.Discardable() {
		a.dropped[m.Alert.What()]++
		return
	}
	a.queue = append(a.queue, m.Alert)
	if len(a.queue) == 1 && a.cfg.Notify != nil {
		select {
		case a.cfg.Notify <- struct{}{}:
		default:
		}
	}
}

// pop hands over the queue; drops since the last pop are reported by an
// alerts_dropped alert at its end.
func (a *alertActor) pop() *messages.PopAlertsReply {
	out := a.queue
	a.queue = nil
	if len(a.dropped) > 0 {
		out = append(out, &messages.AlertsDroppedAlert{AlertHeader: messages.Now(), Dropped: a.dropped})
		a.dropped = map[string]int{}
	}
	return &messages.PopAlertsReply{Alerts: out}
}
