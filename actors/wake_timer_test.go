package actors

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// A wake timer sends its message at the instant it was armed for; arming
// it again for the same instant changes nothing, for another moves it,
// and Stop sends nothing more. Virtual time.
func TestWakeTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := NewSystem(nil)
		var wakes atomic.Int32
		var w WakeTimer
		type arm struct{ at time.Time }
		type stop struct{}
		pid := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
			switch m := c.Message().(type) {
			case arm:
				w.Arm(c, m.at, "wake")
			case stop:
				w.Stop()
			case string:
				w.Fired()
				wakes.Add(1)
			}
		}))
		start := time.Now()
		after := func(d time.Duration) time.Time { return start.Add(d) }
		step := func(d time.Duration, want int32) {
			t.Helper()
			time.Sleep(time.Until(after(d)))
			synctest.Wait()
			if n := wakes.Load(); n != want {
				t.Fatalf("%d wakes at %v, want %d", n, d, want)
			}
		}
		sys.Root.Send(pid, arm{after(3 * time.Second)})
		sys.Root.Send(pid, arm{after(3 * time.Second)}) // the same instant: one timer
		step(2*time.Second, 0)
		step(3500*time.Millisecond, 1)
		sys.Root.Send(pid, arm{after(10 * time.Second)})
		sys.Root.Send(pid, arm{after(5 * time.Second)}) // moved earlier: only this one
		step(6*time.Second, 2)
		step(11*time.Second, 2)
		sys.Root.Send(pid, arm{after(12 * time.Second)})
		sys.Root.Send(pid, stop{})
		step(13*time.Second, 2)
		sys.Root.Send(pid, arm{time.Time{}}) // zero: nothing
		step(time.Hour, 2)
		_ = sys.Root.StopFuture(pid).Wait()
		sys.Shutdown()
		time.Sleep(sys.Config.DeadLetterThrottleInterval + time.Second) // as TestSendRepeatedly
	})
}
