package actors

import (
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// SendRepeatedly sends msg to pid through sender after delay, then every
// interval, until the returned cancel is called; no message is sent once
// cancel has returned. It replaces protoactor-go's
// scheduler.SendRepeatedly, whose timer (at the version go.mod pins) reads
// its state without an atomic load while cancel swaps it atomically: a
// tick that fires as an actor stops is a data race, and under load the
// race detector fails the test that happens to run it (upstream fixed it
// in asynkron/protoactor-go#1202, after our pin). Timers made here run in
// virtual time inside a testing/synctest bubble, as the scheduler's did.
func SendRepeatedly(sender actor.SenderContext, delay, interval time.Duration, pid *actor.PID, msg any) (cancel func()) {
	var (
		mu      sync.Mutex
		stopped bool
		t       *time.Timer
	)
	mu.Lock() // t is set before the first tick reads it
	defer mu.Unlock()
	t = time.AfterFunc(delay, func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		sender.Send(pid, msg)
		t.Reset(interval)
	})
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		t.Stop()
	}
}
