package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/supervisor"
)

// WithFaults makes the session inject the faults of plan into its actors,
// through their supervisors: panics in Receive or in the goroutines the
// actors own, delays, dropped messages, disk errors with a chosen errno,
// connection resets and tracker timeouts (see supervisor.Rule). It is for
// fault-injection tests of services that embed the engine; without it the
// session has no injection code on any path. Every fault is posted as a
// FaultInjectedAlert (CategoryDebug) and every supervisor decision, injected
// or not, as an ActorFailedAlert (CategoryError); SupervisionStatus counts
// both. NewSession fails with an error wrapping supervisor.ErrInvalidPlan
// for a plan it cannot apply.
func WithFaults(plan supervisor.Plan) Option {
	return func(o *sessionOptions) { o.faults = &plan }
}

// SupervisionStatus counts, per actor kind, the faults injected and the
// failures the supervisors handled (restarts, stops, resumes).
func (s *Session) SupervisionStatus(ctx context.Context) (supervisor.Status, error) {
	if err := ctx.Err(); err != nil {
		return supervisor.Status{}, err
	}
	return s.sup.Status(), nil
}
