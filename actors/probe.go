package actors

import (
	"context"
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// Probe is receive middleware that records every message an actor has
// handled; tests use it to see what travelled without mocking the actor,
// and to wait for an actor to have handled a message (an event, where a
// sleep would only guess how long that takes).
type Probe struct {
	mu   sync.Mutex
	msgs []any
	// more is closed (and replaced) whenever a message is recorded.
	more chan struct{}
}

// Middleware returns the receiver middleware to add to an actor's props.
// A message is recorded once the actor's Receive has returned, so whoever
// waits for it sees the actor's state with the message applied.
func (p *Probe) Middleware() actor.ReceiverMiddleware {
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			next(c, env)
			p.mu.Lock()
			p.msgs = append(p.msgs, env.Message)
			if p.more != nil {
				close(p.more)
				p.more = nil
			}
			p.mu.Unlock()
		}
	}
}

// Messages returns a copy of what was recorded so far.
func (p *Probe) Messages() []any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]any(nil), p.msgs...)
}

// Wait blocks until the actor has handled n messages satisfying ok, and
// returns them; it fails only with ctx's error.
func (p *Probe) Wait(ctx context.Context, n int, ok func(any) bool) ([]any, error) {
	for {
		p.mu.Lock()
		var got []any
		for _, m := range p.msgs {
			if ok(m) {
				got = append(got, m)
			}
		}
		if len(got) >= n {
			p.mu.Unlock()
			return got[:n], nil
		}
		if p.more == nil {
			p.more = make(chan struct{})
		}
		more := p.more
		p.mu.Unlock()
		select {
		case <-more:
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
}
