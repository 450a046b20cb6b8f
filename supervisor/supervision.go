// Package supervisor is the engine's supervision (DESIGN §3): one strategy
// per actor kind, the counters and alerts that make every decision
// visible, and fault injection, the public way for a service's tests to
// make any actor of the engine fail on purpose (a Plan given to the
// session).
//
// A session has one *Supervision. Actor packages take it in their Config
// and use it to build their props (Strategy for the kinds they spawn,
// Configure for their own kind) and, in the goroutines they own, to
// recover panics (Recover) and let the plan inject faults (Inject). A nil
// *Supervision is valid: the default strategies, no faults, no reports.
package supervisor

import (
	"sync/atomic"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Supervision is one session's supervision: strategies, fault plan and
// counters. Safe for concurrent use.
type Supervision struct {
	inj    *injector // nil: no plan (no middleware, no injection)
	sink   atomic.Pointer[sink]
	counts map[Kind]*kindCounters
}

// sink is where alerts go once the session's alert actor runs.
type sink struct {
	root   *actor.RootContext
	alerts *actor.PID
}

// New returns a session's supervision; plan may be nil (no faults).
func New(plan *Plan) (*Supervision, error) {
	s := &Supervision{counts: map[Kind]*kindCounters{}}
	for _, k := range Kinds() {
		s.counts[k] = &kindCounters{}
	}
	if plan != nil && len(plan.Rules) > 0 {
		if err := plan.Validate(); err != nil {
			return nil, err
		}
		s.inj = newInjector(*plan)
	}
	return s, nil
}

// Injecting reports whether the session has a fault plan.
func (s *Supervision) Injecting() bool { return s != nil && s.inj != nil }

// BindAlerts sets the alert actor that supervision alerts (actor_failed,
// fault_injected) are posted to. Until then only the counters see them.
func (s *Supervision) BindAlerts(root *actor.RootContext, alerts *actor.PID) {
	if s != nil {
		s.sink.Store(&sink{root: root, alerts: alerts})
	}
}

func (s *Supervision) post(al messages.Alert) {
	if s == nil {
		return
	}
	if k := s.sink.Load(); k != nil {
		k.root.Send(k.alerts, &messages.PostAlert{Alert: al})
	}
}

func (s *Supervision) counters(k Kind) *kindCounters {
	if s == nil {
		return nil
	}
	return s.counts[k]
}

// Configure adds the fault-injection middleware of kind to props when the
// session has a plan; without one props are returned as they are (no cost
// per message).
func (s *Supervision) Configure(k Kind, props *actor.Props) *actor.Props {
	if !s.Injecting() {
		return props
	}
	return props.Configure(actor.WithReceiverMiddleware(s.middleware(k)))
}

// Recover is deferred first thing in every goroutine an actor owns: a
// panic there becomes a GoroutineFailed message to the actor, which fails
// with it in Receive, so its supervisor decides, and the process goes on.
//
//	go func() {
//		defer supervisor.Recover(root, self, supervisor.SiteReader)
//		...
//	}()
func Recover(root *actor.RootContext, self *actor.PID, site Site) {
	if r := recover(); r != nil {
		root.Send(self, &messages.GoroutineFailed{Site: string(site), Reason: r})
	}
}

// Recovered reports a panic that was recovered where no actor can fail
// with it (the facade's alert delivery): it is counted as a failure of
// kind, resumed, and posted as actor_failed.
func (s *Supervision) Recovered(k Kind, site Site, reason any) {
	if s == nil {
		return
	}
	c := s.counters(k)
	c.failures.Add(1)
	c.resumes.Add(1)
	s.post(&messages.ActorFailedAlert{
		AlertHeader: messages.Now(), Kind: string(k), Actor: string(site), Reason: reasonText(reason),
		Directive: directiveResume, Failures: 1, Injected: isInjected(reason),
	})
}
