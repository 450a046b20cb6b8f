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
