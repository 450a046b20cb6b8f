package actors

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Wait returns once the actor has handled the messages: what their
// handling changed is already visible.
func TestProbeWaitSeesHandledMessages(t *testing.T) {
	sys := NewSystem(nil)
	defer sys.Shutdown()
	var sum atomic.Int64
	p := &Probe{}
	pid := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if n, ok := c.Message().(int); ok {
			sum.Add(int64(n))
		}
	}, actor.WithReceiverMiddleware(p.Middleware())))
	defer func() { _ = sys.Root.StopFuture(pid).Wait() }()
	isInt := func(m any) bool { _, ok := m.(int); return ok }

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for i := 1; i <= 3; i++ {
		sys.Root.Send(pid, i)
	}
	got, err := p.Wait(ctx, 3, isInt)
	if err != nil || len(got) != 3 || got[2] != 3 {
		t.Fatalf("Wait = %v, %v", got, err)
	}
	if s := sum.Load(); s != 6 {
		t.Fatalf("sum %d after the probe saw the three handled, want 6", s)
	}

	// More than will ever come: only the context ends it.
	short, cancel2 := context.WithCancel(ctx)
	cancel2()
	if got, err := p.Wait(short, 4, isInt); !errors.Is(err, context.Canceled) || len(got) != 3 {
		t.Fatalf("Wait for a fourth = %v, %v", got, err)
	}
}
