package messages

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"
)

// Messages of supervision (package supervisor) and of fault injection.

// ChildFailed is sent by a supervisor strategy (package supervisor) to the
// parent of an actor that failed, after the directive was applied, so the
// parent can fail the job, forget the peer or bring a restarted child up to
// date.
type ChildFailed struct {
	Child   *actor.PID
	Reason  string
	Message any
	// Directive is what the supervisor did: "stop", "restart" or "resume".
	Directive string
}

// MessageFailed is sent to an actor that failed and was resumed (its state
// kept) or restarted: Message is the message it failed on, which it never
// finished. The actor answers its sender (when Sender is set) and undoes
// what the message had started or releases what it carried, so that no
// request waits forever and no connection, credit or buffer leaks.
type MessageFailed struct {
	Message any
	Sender  *actor.PID
	Reason  string
}

// GoroutineFailed is what a goroutine owned by an actor (a socket reader or
// writer, an accept loop, an announce) sends its actor when it panicked:
// the actor fails with it (panics in Receive), so the panic reaches the
// actor's supervisor instead of crashing the process.
type GoroutineFailed struct {
	// Site names the goroutine ("reader", "accept", "announce", ...).
	Site   string
	Reason any
}

// Error makes the failure a readable panic value.
func (g *GoroutineFailed) Error() string {
	return fmt.Sprintf("%s goroutine panicked: %v", g.Site, g.Reason)
}

// Unwrap exposes the goroutine's panic value when it was an error.
func (g *GoroutineFailed) Unwrap() error {
	err, _ := g.Reason.(error)
	return err
}

// ResetConnection tells a peer actor to reset its connection (an injected
// fault): the socket is closed with a TCP RST and the peer ends as after a
// reset by the remote.
type ResetConnection struct{}

// Failed answers a request whose handler failed (the actor was resumed):
// the facade turns it into an error wrapping ErrActorFailed.
type Failed struct {
	Err error
}

// ActorFailedAlert: an actor of the engine failed (panicked in Receive or in
// a goroutine it owns) and its supervisor decided what to do.
type ActorFailedAlert struct {
	AlertHeader
	// Kind is the actor kind (supervisor.Kind: "peer", "torrent", ...).
	Kind string
	// Actor is the actor's id in the session's actor system ("dispatch"
	// for the facade's alert delivery, which is no actor).
	Actor string
	// Reason is the panic, as text; Message the type of the message it
	// failed on (empty for a goroutine's panic).
	Reason  string
	Message string
	// Directive: "stop", "restart" or "resume".
	Directive string
	// Failures counts this actor's failures, this one included; Restarts
	// its restarts, this one included (0 unless Directive is restart).
	Failures, Restarts int
	// Injected: the failure was a fault injected by the session's plan.
	Injected bool
}

// AlertCategory implements Alert.
func (ActorFailedAlert) AlertCategory() AlertCategory { return CategoryError }

// AlertWhat implements Alert.
func (ActorFailedAlert) AlertWhat() string { return "actor_failed" }

// Discardable implements Alert.
func (ActorFailedAlert) Discardable() bool { return true }

// FaultInjectedAlert: the session's fault plan injected a fault.
type FaultInjectedAlert struct {
	AlertHeader
	Kind string
	// Site is where: "receive" or the goroutine's name.
	Site string
	// Message is the name of the message (or job, or wire message) hit.
	Message string
	// Action is what was injected ("panic", "delay", "drop",
	// "disk_error", "reset_connection", "tracker_timeout").
	Action string
	// Rule is the index of the plan's rule that fired.
	Rule int
}

// AlertCategory implements Alert.
func (FaultInjectedAlert) AlertCategory() AlertCategory { return CategoryDebug }

// AlertWhat implements Alert.
func (FaultInjectedAlert) AlertWhat() string { return "fault_injected" }

// Discardable implements Alert.
func (FaultInjectedAlert) Discardable() bool { return true }
