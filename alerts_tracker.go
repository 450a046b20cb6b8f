package actorrent

import "github.com/actorrent/actorrent/messages"

// TrackerEvent is an announce's event (0 none, 1 completed, 2 started,
// 3 stopped: libtorrent's and BEP 15's values).
type TrackerEvent = messages.TrackerEvent

// The announce events.
const (
	EventNone      = messages.EventNone
	EventCompleted = messages.EventCompleted
	EventStarted   = messages.EventStarted
	EventStopped   = messages.EventStopped
)
