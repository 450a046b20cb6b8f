package sessionactor

import (
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleExternalIPVote counts a peer's view of our address (the session's
// one internal/ipvoter.Voter) and posts external_ip when the decided
// address changes.
func (a *Actor) handleExternalIPVote(ctx actor.Context, m *messages.ExternalIPVote) {
	if a.voter.Vote(time.Now(), m.IP, m.Source) {
		a.post(ctx, &messages.ExternalIPAlert{AlertHeader: messages.Now(), ExternalAddress: a.voter.External()})
	}
}
