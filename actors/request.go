package actors

import (
	"context"
	"errors"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// ErrTimeout is returned by Request when the actor did not answer in time.
var ErrTimeout = errors.New("actors: request timed out")

// DefaultRequestTimeout bounds a facade request whose context has no
// deadline, so that a lost reply can never hang a caller forever.
const DefaultRequestTimeout = 60 * time.Second

// Request sends msg to pid and waits for the reply, bounded by ctx. Only the
// facade (outside the actor system) may call it; actors use ReenterAfter.
func Request(ctx context.Context, root *actor.RootContext, pid *actor.PID, msg any) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	timeout := DefaultRequestTimeout
	dl, fromCtx := ctx.Deadline()
	if fromCtx {
		timeout = time.Until(dl)
		if timeout <= 0 {
			return nil, context.DeadlineExceeded
		}
	}
	f := root.RequestFuture(pid, msg, timeout)
	type result struct {
		v   any
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f.Result()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, actor.ErrTimeout) {
			// The future's timer and the context's may fire in either
			// order: a timeout taken from ctx is ctx's deadline.
			if fromCtx {
				return nil, context.DeadlineExceeded
			}
			return nil, ErrTimeout
		}
		if f, ok := r.v.(*messages.Failed); ok && r.err == nil {
			return nil, f.Err // the actor failed on the request
		}
		return r.v, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
