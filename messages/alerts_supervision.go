package messages

import "fmt"

// ActorFailedAlert: an actor of the engine failed (a panic in its Receive
// or in a goroutine it owns, injected or not) and its supervisor decided
// what to do. Not a libtorrent alert: libtorrent has no actors. It is
// posted for every supervisor decision; SupervisionStatus counts them.
type ActorFailedAlert struct {
	AlertHeader
	// Kind is the actor kind (supervisor.Kind: "session", "alert",
	// "torrent", "peer", "disk", "disk_worker", "tracker_announcer",
	// "listener").
	Kind string
	// Actor is the actor's id in the session's actor system ("dispatch"
	// for the goroutines that hand alerts to the user, which are no actor).
	Actor string
	// Reason is the panic; MessageName the type of the message the actor
	// failed on (empty when a goroutine it owns panicked).
	Reason      string
	MessageName string
	// Directive is the decision: "stop" (peers), "restart" (disk
	// workers, announcers, listeners) or "resume" (session, alerts,
	// torrents, disk: their state is kept).
	Directive string
	// Failures counts this actor's failures, this one included; Restarts
	// its restarts (0 unless Directive is "restart").
	Failures, Restarts int
	// Injected: a fault of the session's plan (WithFaults) caused it.
	Injected bool
}

// FaultInjectedAlert: the session's fault plan (WithFaults) injected a
// fault. It is in CategoryDebug: add that to alert_mask to see each one;
// SupervisionStatus counts them either way.
type FaultInjectedAlert struct {
	AlertHeader
	// Kind and Site say where (Site is "receive" or a goroutine: "reader",
	// "writer", "dial", "handshake", "accept", "job", "announce",
	// "scrape", "dispatch").
	Kind, Site string
	// MessageName is the name of what was hit (a message type, a disk
	// job's operation, a wire message, a tracker event).
	MessageName string
	// Action is the fault ("panic", "delay", "drop", "disk_error",
	// "reset_connection", "tracker_timeout"); Rule is the index of the
	// plan's rule that fired.
	Action string
	Rule   int
}

// Ids from libtorrent's user_alert_id (10000) on: these alerts are ours.
func (ActorFailedAlert) Type() int   { return 10000 }
func (FaultInjectedAlert) Type() int { return 10001 }

func (ActorFailedAlert) Category() AlertCategory   { return CategoryError }
func (FaultInjectedAlert) Category() AlertCategory { return CategoryDebug }

func (ActorFailedAlert) What() string   { return "actor_failed" }
func (FaultInjectedAlert) What() string { return "fault_injected" }

func (ActorFailedAlert) Discardable() bool   { return true }
func (FaultInjectedAlert) Discardable() bool { return true }

func (a ActorFailedAlert) Message() string {
	inj := ""
	if a.Injected {
		inj = " (injected)"
	}
	return fmt.Sprintf("%s actor %s failed%s: %s; %s (failures: %d)", a.Kind, a.Actor, inj, a.Reason, a.Directive, a.Failures)
}

func (a FaultInjectedAlert) Message() string {
	return fmt.Sprintf("fault injected by rule %d: %s in %s %s on %s", a.Rule, a.Action, a.Kind, a.Site, a.MessageName)
}
