package actors

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Ticks come after the delay and then every interval, in virtual time, and
// none comes once cancel has returned.
func TestSendRepeatedly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sys := NewSystem(nil)
		var ticks atomic.Int32
		pid := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
			if _, ok := c.Message().(string); ok {
				ticks.Add(1)
			}
		}))
		cancel := SendRepeatedly(sys.Root, 3*time.Second, time.Second, pid, "tick")
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if n := ticks.Load(); n != 0 {
			t.Fatalf("%d ticks before the delay", n)
		}
		time.Sleep(1500 * time.Millisecond) // 3.5 s: the first
		synctest.Wait()
		if n := ticks.Load(); n != 1 {
			t.Fatalf("%d ticks at 3.5 s, want 1", n)
		}
		time.Sleep(3 * time.Second) // 6.5 s: at 4, 5 and 6 too
		synctest.Wait()
		if n := ticks.Load(); n != 4 {
			t.Fatalf("%d ticks at 6.5 s, want 4", n)
		}
		cancel()
		time.Sleep(time.Hour)
		synctest.Wait()
		if n := ticks.Load(); n != 4 {
			t.Fatalf("%d ticks after cancel, want 4", n)
		}
		_ = sys.Root.StopFuture(pid).Wait()
		sys.Shutdown()
		// protoactor's dead-letter throttle waits one interval on a
		// goroutine of its own; let it run out inside the bubble.
		time.Sleep(sys.Config.DeadLetterThrottleInterval + time.Second)
	})
}
