// Package supervisor holds the supervision strategies of DESIGN §3, one per
// actor kind. Each applies protoactor's directive to the failed child and
// then tells the parent (messages.ChildFailed) so that it can put its own
// state right: forget a peer, fail a disk job, put a torrent in error.
package supervisor

import (
	"fmt"
	"log/slog"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// reporting applies one directive to the failing child and reports.
type reporting struct {
	directive actor.Directive
}

// PeerStrategy stops a failed peer actor and never restarts it; its torrent
// hears ChildFailed and Terminated and forgets it.
func PeerStrategy() actor.SupervisorStrategy { return reporting{actor.StopDirective} }

// WorkerStrategy replaces a failed disk worker (a fresh instance) and lets
// the disk actor fail the job the worker was running.
func WorkerStrategy() actor.SupervisorStrategy { return reporting{actor.RestartDirective} }

// TorrentStrategy keeps a failed torrent actor (and so its handle and state)
// alive; the session then tells it to go to the error state.
func TorrentStrategy() actor.SupervisorStrategy { return reporting{actor.ResumeDirective} }

// HandleFailure implements actor.SupervisorStrategy.
func (r reporting) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor, child *actor.PID,
	_ *actor.RestartStatistics, reason any, message any) {
	sys.Logger().Warn("actor failed", slog.Any("child", child), slog.Any("reason", reason),
		slog.String("directive", r.directive.String()))
	switch r.directive {
	case actor.StopDirective:
		sup.StopChildren(child)
	case actor.RestartDirective:
		sup.RestartChildren(child)
	default:
		sup.ResumeChildren(child)
	}
	if parent, ok := sup.(interface{ Self() *actor.PID }); ok {
		sys.Root.Send(parent.Self(), &messages.ChildFailed{
			Child:   child,
			Reason:  fmt.Sprint(reason),
			Message: message,
		})
	}
}
