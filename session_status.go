package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// SessionStatus is a snapshot of session-wide counters (libtorrent's
// session_status); its fields are declared in messages.
type SessionStatus = messages.SessionStatus

// Status returns the session's counters.
func (s *Session) Status(ctx context.Context) (SessionStatus, error) {
	r, err := s.request(ctx, &messages.GetSessionStatus{})
	if err != nil {
		return SessionStatus{}, err
	}
	return *r.(*messages.SessionStatus), nil
}
