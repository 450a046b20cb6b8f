package supervisor

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// The directives as alerts and ChildFailed name them.
const (
	directiveStop    = "stop"
	directiveRestart = "restart"
	directiveResume  = "resume"
)

// policy is what the supervisor does with a failed actor of one kind.
type policy struct {
	directive actor.Directive
	// backoff delays restarts: Initial after the first failure within
	// Window, doubling with each further one, up to Max. Zero: at once.
	backoff backoff
}

// The window is what keeps the wait short for an actor that fails now and
// then: only failures within it count. A listener that failed a few times
// over minutes of accepting (a 5-minute window was tried) ended up 30 s
// deaf after every further failure.
type backoff struct {
	Initial, Max, Window time.Duration
}

// delay is the wait before the restart for an actor that failed n times
// within the window (this failure included).
func (b backoff) delay(n int) time.Duration {
	if b.Initial <= 0 || n <= 0 {
		return 0
	}
	d := b.Initial
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// policies are DESIGN §3's decisions, per kind. A resumed or restarted
// actor gets the message it failed on back (MessageFailed) to answer or
// undo it.
//   - session, alert, torrent, disk: resumed, state kept.
//     A torrent goes to the error state (ClearError resumes it); the
//     session's handles stay valid; the alert queue is kept.
//   - peer: stopped, never restarted; its torrent forgets it and may
//     connect to it again later (the peer list's reconnect backoff).
//   - disk worker: replaced by a fresh one at once; its job fails.
//   - tracker announcer: restarted after an exponential backoff; its
//     torrent gives the new one its trackers and state.
//   - listener: restarted after a backoff; it listens again on the same
//     address.
//   - lsd: restarted after a backoff; it opens its multicast socket again
//     and the session gives it the torrents to announce.
//   - dht: restarted after an exponential backoff with a new server on a
//     new socket; its announce schedule and node id are kept.
//   - dht lookup: stopped; the dht node schedules the torrent again.
//   - portmap: restarted after a backoff; it finds the gateways again
//     and makes every mapping again (their indices kept).
var policies = map[Kind]policy{
	KindSession:    {directive: actor.ResumeDirective},
	KindAlert:      {directive: actor.ResumeDirective},
	KindTorrent:    {directive: actor.ResumeDirective},
	KindDisk:       {directive: actor.ResumeDirective},
	KindPeer:       {directive: actor.StopDirective},
	KindDiskWorker: {directive: actor.RestartDirective},
	KindAnnouncer: {directive: actor.RestartDirective,
		backoff: backoff{Initial: 500 * time.Millisecond, Max: 2 * time.Minute, Window: 2 * time.Minute}},
	KindListener: {directive: actor.RestartDirective,
		backoff: backoff{Initial: 100 * time.Millisecond, Max: 30 * time.Second, Window: 30 * time.Second}},
	KindLSD: {directive: actor.RestartDirective,
		backoff: backoff{Initial: 500 * time.Millisecond, Max: time.Minute, Window: time.Minute}},
	KindDHT: {directive: actor.RestartDirective,
		backoff: backoff{Initial: 500 * time.Millisecond, Max: time.Minute, Window: 2 * time.Minute}},
	KindDHTLookup: {directive: actor.StopDirective},
	KindPortmap: {directive: actor.RestartDirective,
		backoff: backoff{Initial: 500 * time.Millisecond, Max: time.Minute, Window: 2 * time.Minute}},
}

// Strategy is the supervisor strategy for children of kind k.
func (s *Supervision) Strategy(k Kind) actor.SupervisorStrategy {
	return &strategy{sup: s, kind: k, policy: policies[k]}
}

type strategy struct {
	sup  *Supervision
	kind Kind
	policy
}

// HandleFailure implements actor.SupervisorStrategy: it applies the kind's
// directive, tells the parent (ChildFailed) and, for a resumed actor, the
// actor itself (MessageFailed), then counts and posts actor_failed.
func (st *strategy) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor, child *actor.PID,
	rs *actor.RestartStatistics, reason any, message any) {
	rs.Fail()
	msg, sender := unwrap(message)
	text := reasonText(reason)
	al := &messages.ActorFailedAlert{
		AlertHeader: messages.Now(), Kind: string(st.kind), Actor: child.Id, Reason: text,
		MessageName: typeName(msg), Failures: rs.FailureCount(), Injected: isInjected(reason),
	}
	c := st.sup.counters(st.kind)
	if c != nil {
		c.failures.Add(1)
	}
	switch st.directive {
	case actor.StopDirective:
		al.Directive = directiveStop
		inc(c, func(k *kindCounters) { k.stops.Add(1) })
		sup.StopChildren(child)
	case actor.RestartDirective:
		al.Directive, al.Restarts = directiveRestart, rs.FailureCount()
		inc(c, func(k *kindCounters) { k.restarts.Add(1) })
		handBack(sys, child, msg, sender, text)
		if d := st.backoff.delay(rs.NumberOfFailures(st.backoff.Window)); d > 0 {
			time.AfterFunc(d, func() { sup.RestartChildren(child) })
		} else {
			sup.RestartChildren(child)
		}
	default:
		al.Directive = directiveResume
		inc(c, func(k *kindCounters) { k.resumes.Add(1) })
		handBack(sys, child, msg, sender, text)
		sup.ResumeChildren(child)
	}
	sys.Logger().Warn("actor failed", slog.String("kind", string(st.kind)), slog.Any("child", child),
		slog.String("reason", text), slog.String("directive", al.Directive))
	if parent, ok := sup.(interface{ Self() *actor.PID }); ok {
		sys.Root.Send(parent.Self(), &messages.ChildFailed{Child: child, Reason: text, Message: msg, Directive: al.Directive})
	}
	st.sup.post(al)
}

// handBack gives a resumed or restarted actor the message it failed on
// (MessageFailed), queued behind what its mailbox holds, so that it can
// answer the sender or release what the message carried. A failure while
// handling a MessageFailed is not handed back again.
func handBack(sys *actor.ActorSystem, child *actor.PID, msg any, sender *actor.PID, reason string) {
	if _, again := msg.(*messages.MessageFailed); again || msg == nil {
		return
	}
	if _, gf := msg.(*messages.GoroutineFailed); gf {
		return // nothing to answer: the goroutine is gone
	}
	sys.Root.Send(child, &messages.MessageFailed{Message: msg, Sender: sender, Reason: reason})
}

func inc(c *kindCounters, f func(*kindCounters)) {
	if c != nil {
		f(c)
	}
}

// unwrap takes a failed message out of its envelope, with its sender.
func unwrap(message any) (any, *actor.PID) {
	if env, ok := message.(*actor.MessageEnvelope); ok {
		return env.Message, env.Sender
	}
	return message, nil
}

func reasonText(reason any) string {
	if err, ok := reason.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(reason)
}

// isInjected reports whether a panic value is an injected fault, directly
// or through a goroutine's failure.
func isInjected(reason any) bool {
	err, ok := reason.(error)
	if !ok {
		return false
	}
	var ip *InjectedPanic
	return errors.As(err, &ip)
}
