package supervisor

import (
	"fmt"
	"reflect"
	"syscall"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// InjectedPanic is the panic value of an injected panic: actor_failed
// alerts of injected faults say Injected.
type InjectedPanic struct {
	Kind    Kind
	Site    Site
	Message string
	Rule    int
}

func (p *InjectedPanic) Error() string {
	return fmt.Sprintf("injected panic (rule %d: %s %s %s)", p.Rule, p.Kind, p.Site, p.Message)
}

// Fault is an injected fault that the site applies itself: a disk error or
// a tracker timeout. Panics and delays are applied by Inject.
type Fault struct {
	Action Action
	Errno  syscall.Errno
}

// Inject lets the plan act at a site of a goroutine an actor owns (or a
// disk job): it panics for a panic rule, sleeps for a delay, and returns
// the fault for the site to apply otherwise. name is what the site is
// handling (see Rule.Message). Without a plan it returns at once.
func (s *Supervision) Inject(k Kind, site Site, name string) (Fault, bool) {
	if !s.Injecting() {
		return Fault{}, false
	}
	r, i, ok := s.inj.decide(k, site, name)
	if !ok {
		return Fault{}, false
	}
	s.injected(k, site, name, r, i)
	switch r.Action {
	case ActionPanic:
		panic(&InjectedPanic{Kind: k, Site: site, Message: name, Rule: i})
	case ActionDelay:
		time.Sleep(r.Delay)
		return Fault{}, false
	}
	return Fault{Action: r.Action, Errno: r.Errno}, true
}

// Wants reports whether the plan has a rule for kind at site that can
// still fire: a site that must work to name what it handles asks first.
func (s *Supervision) Wants(k Kind, site Site) bool {
	return s.Injecting() && s.inj.wants(k, site)
}

// injected counts a fault and posts fault_injected.
func (s *Supervision) injected(k Kind, site Site, name string, r Rule, i int) {
	c := s.counters(k)
	c.injected.Add(1)
	c.byAction[r.Action].Add(1)
	s.post(&messages.FaultInjectedAlert{
		AlertHeader: messages.Now(), Kind: string(k), Site: string(site), MessageName: name, Action: r.Action.String(), Rule: i,
	})
}

// middleware injects the plan's Receive faults into an actor of kind k.
func (s *Supervision) middleware(k Kind) actor.ReceiverMiddleware {
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			if !injectable(k, env.Message) {
				next(c, env)
				return
			}
			name := MessageName(env.Message)
			r, i, ok := s.inj.decide(k, SiteReceive, name)
			if !ok {
				next(c, env)
				return
			}
			s.injected(k, SiteReceive, name, r, i)
			switch r.Action {
			case ActionPanic:
				panic(&InjectedPanic{Kind: k, Site: SiteReceive, Message: name, Rule: i})
			case ActionDelay:
				time.Sleep(r.Delay)
				next(c, env)
			case ActionDrop:
			case ActionResetConnection:
				next(c, env)
				next(c, actor.WrapEnvelope(&messages.ResetConnection{}))
			default:
				next(c, env)
			}
		}
	}
}

// injectable: lifecycle messages and supervision's own are never hit (a
// dropped Terminated or a panic on MessageFailed would only break the
// bookkeeping that makes failures recoverable), nor the alerts that report
// faults (they would feed on themselves).
func injectable(k Kind, m any) bool {
	switch m := m.(type) {
	case actor.SystemMessage, actor.AutoReceiveMessage, *actor.ReceiveTimeout,
		*messages.ChildFailed, *messages.MessageFailed, *messages.GoroutineFailed, *messages.ResetConnection:
		return false
	case *messages.PostAlert:
		switch m.Alert.(type) {
		case *messages.ActorFailedAlert, *messages.FaultInjectedAlert:
			return false
		}
	}
	return true
}

// Named is implemented by messages whose fault-rule name is not their Go
// type name (a disk job is named by its operation).
type Named interface {
	FaultName() string
}

// MessageName is the name Rule.Message matches a message by: its
// FaultName, or its Go type name without package and pointer.
func MessageName(m any) string {
	if n, ok := m.(Named); ok {
		return n.FaultName()
	}
	return typeName(m)
}

func typeName(m any) string {
	if m == nil {
		return ""
	}
	t := reflect.TypeOf(m)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}
