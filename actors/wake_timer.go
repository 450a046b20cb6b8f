package actors

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// WakeTimer is an actor's one timer for the next thing it has due: armed
// for the earliest instant its pure schedule gives, re-armed only when
// that instant changes, and its wake sent to the actor itself as a
// message. A wake already on its way when the timer is re-armed arrives
// anyway: the handler must be idempotent (ask the schedule what is due).
// It runs in virtual time inside a testing/synctest bubble.
type WakeTimer struct {
	t  *time.Timer
	at time.Time
}

// Arm sends msg to the actor at at (zero: nothing), unless the timer is
// armed for that instant already.
func (w *WakeTimer) Arm(ctx actor.Context, at time.Time, msg any) {
	if at.IsZero() || at.Equal(w.at) {
		return
	}
	if w.t != nil {
		w.t.Stop()
	}
	root, self := ctx.ActorSystem().Root, ctx.Self()
	w.at = at
	w.t = time.AfterFunc(time.Until(at), func() { root.Send(self, msg) })
}

// Fired records that the wake came: the next Arm sets the timer again,
// even for the same instant.
func (w *WakeTimer) Fired() { w.at = time.Time{} }

// Stop stops the timer (a wake already sent still arrives).
func (w *WakeTimer) Stop() {
	if w.t != nil {
		w.t.Stop()
		w.t = nil
	}
	w.at = time.Time{}
}
