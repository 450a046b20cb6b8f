// Package udptracker is a BEP 15 UDP tracker client: connect (with the
// connection id cached per tracker), announce and scrape, with IPv4 and
// IPv6 peer lists, transaction ids checked, retransmission with backoff,
// and replies from anyone but the tracker ignored.
//
// It is an I/O primitive, like internal/utp: a Client owns one reader
// goroutine on its PacketConn and its methods block, bounded by their
// context. The wire format lives in pure functions (packet.go) so it can be
// fuzzed without a network.
//
// The request and response types mirror internal/tracker's (same field
// names and types) so this package does not depend on it; the announcer
// converts between them.
package udptracker

import (
	"errors"
	"net/netip"
	"time"
)

// Event is the announce event. The values are BEP 15's wire values (0
// none, 1 completed, 2 started, 3 stopped), the same as tracker.Event, so
// converting is a plain udptracker.Event(e).
type Event int

// Announce events.
const (
	EventNone Event = iota
	EventCompleted
	EventStarted
	EventStopped
)

func (e Event) String() string {
	switch e {
	case EventNone:
		return "none"
	case EventStarted:
		return "started"
	case EventCompleted:
		return "completed"
	case EventStopped:
		return "stopped"
	}
	return "event(?)"
}

// AnnounceRequest is what we tell the tracker.
type AnnounceRequest struct {
	InfoHash, PeerID           [20]byte
	Port                       int // our listen port, 0..65535
	Uploaded, Downloaded, Left int64
	Event                      Event
	NumWant                    int // negative is sent as -1 (tracker default); 0 asks for none
	Key                        uint32
	TrackerID                  string // HTTP only; UDP has no tracker id
}

// AnnounceResponse is what the tracker answered. UDP carries no min
// interval, tracker id or warning (they stay zero) and no downloaded
// count, which is -1, "unknown", as in tracker.AnnounceResponse.
type AnnounceResponse struct {
	Interval, MinInterval            time.Duration
	Peers                            []netip.AddrPort
	Complete, Incomplete, Downloaded int
	TrackerID, Warning               string
}

// ScrapeResponse is one torrent's counts from a scrape.
type ScrapeResponse struct {
	Complete, Incomplete, Downloaded int
}

// FailureError is the tracker's error reply (action 3): the request was
// understood and refused, e.g. "torrent not registered".
type FailureError struct {
	Reason string
}

func (e *FailureError) Error() string { return "udptracker: tracker failure: " + e.Reason }

// Errors. Network errors from the PacketConn and context errors are
// returned wrapped; everything else wraps one of these.
var (
	// ErrTimeout means no valid reply came after all retransmissions.
	ErrTimeout = errors.New("udptracker: tracker did not answer")
	// ErrClosed means the Client was closed (or its socket failed).
	ErrClosed = errors.New("udptracker: client closed")
	// ErrBadAddress means the tracker address is not host:port, does not
	// resolve, or resolves only to a family the socket cannot reach.
	ErrBadAddress = errors.New("udptracker: bad tracker address")
	// ErrBadRequest means the request cannot be encoded (port out of
	// range, no or too many info-hashes for a scrape).
	ErrBadRequest = errors.New("udptracker: bad request")
	// ErrShortPacket means a packet is shorter than its action requires.
	ErrShortPacket = errors.New("udptracker: packet too short")
	// ErrUnknownAction means a packet's action is not 0..3.
	ErrUnknownAction = errors.New("udptracker: unknown action")
)
