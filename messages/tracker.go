package messages

import (
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/tracker"
)

// Messages about trackers: from the facade (through the session and the
// torrent, which forwards them to its announcer), and between a torrent
// and its announcer child.

// GetTrackers asks for the torrent's trackers; reply GetTrackersReply.
type GetTrackers struct{}

// GetTrackersReply is a snapshot of every tracker, in priority order.
type GetTrackersReply struct {
	Trackers []tracker.TrackerStatus
}

// AddTracker appends URL to Tier (libtorrent add_tracker).
type AddTracker struct {
	URL  string
	Tier int
}

// ReplaceTrackers installs a new tracker list (libtorrent replace_trackers).
type ReplaceTrackers struct {
	Tiers [][]string
}

// ForceReannounce announces to every tracker now (within min intervals).
type ForceReannounce struct{}

// ScrapeTracker scrapes the tracker at Index of Trackers() (-1: the first
// working one, else the first).
type ScrapeTracker struct {
	Index int
}

// AnnounceStats are the counters an announce reports, sent by the torrent
// to its announcer when they change.
type AnnounceStats struct {
	Uploaded, Downloaded, Left int64
	Redundant, Corrupt         int64
}

// StartAnnouncing: the torrent became active (checked, not paused).
type StartAnnouncing struct {
	Stats AnnounceStats
}

// StopAnnouncing: the torrent was paused, failed or is being removed; the
// announcer sends stopped to the trackers that know us. A Request gets
// AnnouncingStopped once they answered or stop_tracker_timeout passed.
type StopAnnouncing struct{}

// AnnouncingStopped answers a StopAnnouncing request.
type AnnouncingStopped struct{}

// AnnounceCompleted: the download finished (not sent for a torrent that
// was complete when it started).
type AnnounceCompleted struct{}

// TrackerPeers are peers a tracker returned, for the torrent to connect to.
type TrackerPeers struct {
	Peers []netip.AddrPort
}

// TrackerSummary is what torrent_status shows of the trackers, pushed by
// the announcer to its torrent when it changes.
type TrackerSummary struct {
	CurrentTracker string
	NextAnnounce   time.Time
	Interval       time.Duration
	// NumComplete and NumIncomplete are the scrape counts of the current
	// tracker (-1 unknown).
	NumComplete, NumIncomplete int
}

// TrackerTraffic is tracker protocol bytes (estimated from the requests
// and replies) for the torrent to report with its session counters.
type TrackerTraffic struct {
	Upload, Download int64
}
