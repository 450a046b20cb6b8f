package messages

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// AlertCategory is libtorrent's alert::category_t bit mask (same values).
type AlertCategory uint32

// The categories (libtorrent 1.0 values).
const (
	CategoryError       AlertCategory = 0x1
	CategoryPeer        AlertCategory = 0x2
	CategoryPortMapping AlertCategory = 0x4
	CategoryStorage     AlertCategory = 0x8
	CategoryTracker     AlertCategory = 0x10
	CategoryDebug       AlertCategory = 0x20
	CategoryStatus      AlertCategory = 0x40
	CategoryProgress    AlertCategory = 0x80
	CategoryIPBlock     AlertCategory = 0x100
	CategoryPerformance AlertCategory = 0x200
	CategoryDHT         AlertCategory = 0x400
	CategoryStats       AlertCategory = 0x800
	// CategoryBlockProgress is libtorrent 1.2's (and 2.0's) bit for the
	// per-block alerts, which 1.0 put in CategoryProgress.
	CategoryBlockProgress AlertCategory = 0x1000000
	CategoryAll           AlertCategory = 0x7fffffff
)

// Alert is an event for the user (libtorrent's alert). Every alert type
// is declared once, in this package, with its libtorrent id, category,
// name and message; the facade re-exports them (adding the torrent's
// handle to torrent alerts). Alerts are immutable values.
type Alert interface {
	// Type is a stable small integer per alert type (libtorrent 1.1 ids;
	// ours from 10000 on).
	Type() int
	// Category is the alert's category bits.
	Category() AlertCategory
	// What is libtorrent's name of the type ("torrent_finished", ...).
	What() string
	// Message is a human-readable description.
	Message() string
	// Timestamp is when the alert was made.
	Timestamp() time.Time
	// Discardable is false for alerts never dropped when the queue is
	// full (libtorrent's alerts that answer a request).
	Discardable() bool
}

// AlertHeader is embedded in every alert: its time of creation.
type AlertHeader struct {
	At time.Time
}

// Timestamp returns the time of creation.
func (h AlertHeader) Timestamp() time.Time { return h.At }

// Now returns a header stamped with the current time.
func Now() AlertHeader { return AlertHeader{At: time.Now()} }

// TorrentAlertHeader is embedded in every alert about one torrent
// (libtorrent's torrent_alert).
type TorrentAlertHeader struct {
	AlertHeader
	InfoHash InfoHash
}

// TorrentHeader returns a torrent alert's header stamped now.
func TorrentHeader(ih InfoHash) TorrentAlertHeader {
	return TorrentAlertHeader{AlertHeader: Now(), InfoHash: ih}
}

// torrentName renders the torrent in messages (libtorrent prints the
// torrent's name; the first 8 hex digits of the info-hash are stable).
func (h TorrentAlertHeader) torrentName() string { return h.InfoHash.String()[:8] }

// PeerAlertHeader is embedded in every alert about one peer connection
// (libtorrent's peer_alert).
type PeerAlertHeader struct {
	TorrentAlertHeader
	// Endpoint is the peer's address (host:port).
	Endpoint string
	// PeerID is the peer's id from its handshake (zero if unknown).
	PeerID [20]byte
}

// PeerHeader returns a peer alert's header stamped now.
func PeerHeader(ih InfoHash, endpoint string, id [20]byte) PeerAlertHeader {
	return PeerAlertHeader{TorrentAlertHeader: TorrentHeader(ih), Endpoint: endpoint, PeerID: id}
}

// TrackerAlertHeader is embedded in every alert about one tracker
// (libtorrent's tracker_alert).
type TrackerAlertHeader struct {
	TorrentAlertHeader
	// URL is the tracker's announce URL.
	URL string
}

// TrackerHeader returns a tracker alert's header stamped now.
func TrackerHeader(ih InfoHash, url string) TrackerAlertHeader {
	return TrackerAlertHeader{TorrentAlertHeader: TorrentHeader(ih), URL: url}
}

// prefix renders the torrent and the tracker in messages.
func (h TrackerAlertHeader) prefix() string { return h.torrentName() + " (" + h.URL + ")" }

// PostAlert is how actors hand alerts to the alert actor.
type PostAlert struct {
	Alert Alert
}

// PopAlerts takes every queued alert; reply PopAlertsReply.
type PopAlerts struct{}

// PopAlertsReply carries the alerts in order, oldest first.
type PopAlertsReply struct {
	Alerts []Alert
}

// SubscribeAlerts registers an actor that receives a copy of every alert
// in Mask (as PostAlert messages), in order.
type SubscribeAlerts struct {
	PID  *actor.PID
	Mask AlertCategory
}

// UnsubscribeAlerts removes a subscriber.
type UnsubscribeAlerts struct {
	PID *actor.PID
}

// SetAlertMask changes which categories are queued.
type SetAlertMask struct {
	Mask AlertCategory
}

// SetAlertQueueSize changes the queue bound.
type SetAlertQueueSize struct {
	Size int
}

// CountAlerts asks how many alerts are queued; reply CountAlertsReply.
type CountAlerts struct{}

// CountAlertsReply answers CountAlerts.
type CountAlertsReply struct {
	Queued int
}

// Wanted reports whether alert_mask (mask) lets a through, as the alert
// actor decides: an actor asks before sending it one that would be
// dropped (libtorrent's should_post). With 100k torrents added under the
// default mask, their torrent_added alerts were 100k messages to nowhere.
func Wanted(a Alert, mask int) bool {
	return AlertCategory(mask)&a.Category() != 0 || AlwaysPosted(a)
}

// AlwaysPosted reports the alerts libtorrent posts whatever the alert
// mask (it emplaces them without asking should_post): the answer to an
// add (add_torrent), to a save_resume_data request, to post_session_stats,
// to post_torrent_updates (state_update), to read_piece (read_piece, 1.1
// on) and (since 1.1) to flush_cache (cache_flushed). A program that waits
// for them must get them under any mask.
func AlwaysPosted(a Alert) bool {
	switch a.(type) {
	case *AddTorrentAlert, *SaveResumeDataAlert, *SaveResumeDataFailedAlert, *SessionStatsAlert, *CacheFlushedAlert,
		*StateUpdateAlert, *ReadPieceAlert:
		return true
	}
	return false
}
