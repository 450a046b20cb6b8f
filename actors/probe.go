package actors

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
)

// Probe is receive middleware that records every user message an actor
// receives; tests use it to see what travelled without mocking the actor.
type Probe struct {
	mu   sync.Mutex
	msgs []any
}

// Middleware returns the receiver middleware to add to an actor's props.
func (p *Probe) Middleware() actor.ReceiverMiddleware {
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			p.mu.Lock()
			p.msgs = append(p.msgs, env.Message)
			p.mu.Unlock()
			next(c, env)
		}
	}
}

// Messages returns a copy of what was recorded so far.
func (p *Probe) Messages() []any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]any(nil), p.msgs...)
}
