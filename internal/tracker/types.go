package tracker

import (
	"net/netip"
	"time"
)

// Event is the announce event. The values are BEP 15's (and libtorrent's
// tracker_announce_alert's): 0 none, 1 completed, 2 started, 3 stopped, so
// the UDP client can put them on the wire as they are.
type Event int

// Announce events.
const (
	EventNone Event = iota
	EventCompleted
	EventStarted
	EventStopped
)

// String returns the event's name as HTTP trackers expect it in &event=
// ("completed", "started", "stopped"), and "none" for EventNone, which an
// HTTP announce omits.
func (e Event) String() string {
	switch e {
	case EventNone:
		return "none"
	case EventCompleted:
		return "completed"
	case EventStarted:
		return "started"
	case EventStopped:
		return "stopped"
	}
	return "unknown"
}

// DefaultNumWant is libtorrent's num_want default: peers asked for in an
// announce (stopped announces should ask for 0).
const DefaultNumWant = 200

// AnnounceRequest is what a client sends in one announce. It is shared by the
// HTTP and UDP clients; each encodes the fields its protocol has.
type AnnounceRequest struct {
	InfoHash [20]byte
	PeerID   [20]byte
	Port     int // our listen port

	Uploaded, Downloaded, Left int64
	// Corrupt and Redundant are libtorrent's extra byte counters; HTTP sends
	// them only when positive.
	Corrupt, Redundant int64

	Event Event
	// NumWant is the number of peers wanted. Negative leaves it to the
	// tracker (HTTP omits it, UDP sends -1); 0 asks for none, as a stopped
	// announce should. The zero value is therefore "none": set it.
	NumWant int
	// Key identifies us across IP changes (&key= as 8 hex digits in HTTP).
	Key uint32
	// TrackerID echoes the "tracker id" the tracker gave us last time
	// (Job.TrackerID); empty sends nothing.
	TrackerID string
	// Compact asks for compact peer lists (&compact=1&no_peer_id=1).
	Compact bool
	// SupportCrypto adds &supportcrypto=1 (libtorrent's
	// announce_crypto_support).
	SupportCrypto bool

	// IP is libtorrent's announce_ip (&ip=), sent verbatim if not empty.
	IP string
	// IPv4 and IPv6 are our other-family addresses (BEP 7 &ipv4= / &ipv6=),
	// sent when valid.
	IPv4, IPv6 netip.Addr
}

// AnnounceResponse is a tracker's successful answer, as parsed; List clamps
// the intervals, the parser does not.
type AnnounceResponse struct {
	// Interval and MinInterval are 0 when the tracker did not send them.
	Interval, MinInterval time.Duration
	// Peers holds IPv4 and IPv6 peers (IPv4 unmapped), in the tracker's
	// order. Parsers drop entries with port 0 or an unspecified address but
	// keep everything else, our own address included: the caller knows its
	// addresses and filters with FilterPeers.
	Peers []netip.AddrPort
	// Complete (seeds), Incomplete (leechers) and Downloaded (completed
	// downloads) are -1 when unknown.
	Complete, Incomplete, Downloaded int
	// TrackerID is the "tracker id" to echo in later announces ("" = keep
	// the previous one).
	TrackerID string
	// Warning is the tracker's "warning message" ("" = none).
	Warning string
	// ExternalIP is our address as the tracker saw it, when it said so.
	ExternalIP netip.Addr
}

// ScrapeResponse is one torrent's scrape counts; -1 means unknown.
type ScrapeResponse struct {
	Complete, Incomplete, Downloaded int
}

// UnknownScrape is a ScrapeResponse with every count unknown.
var UnknownScrape = ScrapeResponse{Complete: -1, Incomplete: -1, Downloaded: -1}

// FilterPeers removes, in place, every peer for which drop returns true and
// returns the shortened slice. Trackers routinely return our own address;
// the caller drops it with, for example,
//
//	resp.Peers = tracker.FilterPeers(resp.Peers, func(p netip.AddrPort) bool { return p == self })
func FilterPeers(peers []netip.AddrPort, drop func(netip.AddrPort) bool) []netip.AddrPort {
	out := peers[:0]
	for _, p := range peers {
		if !drop(p) {
			out = append(out, p)
		}
	}
	clear(peers[len(out):]) // no stale tail behind the new length
	return out
}
