package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// SessionStatus is a snapshot of session-wide counters (libtorrent's
// session_status); its fields are declared in messages.
type SessionStatus = messages.SessionStatus

// UTPStatus, DHTLookup and DHTRoutingBucket are session_status's parts
// (libtorrent's utp_status, dht_lookup, dht_routing_bucket).
type (
	UTPStatus        = messages.UTPStatus
	DHTLookup        = messages.DHTLookup
	DHTRoutingBucket = messages.DHTRoutingBucket
)

// Status returns the session's counters.
func (s *Session) Status(ctx context.Context) (SessionStatus, error) {
	r, err := s.request(ctx, &messages.GetSessionStatus{})
	if err != nil {
		return SessionStatus{}, err
	}
	return *r.(*messages.SessionStatus), nil
}
