package actorrent

import (
	"time"

	"github.com/actorrent/actorrent/messages"
)

// AlertCategory is libtorrent's alert category bit mask (same values).
type AlertCategory = messages.AlertCategory

// The alert categories.
const (
	CategoryError       = messages.CategoryError
	CategoryPeer        = messages.CategoryPeer
	CategoryPortMapping = messages.CategoryPortMapping
	CategoryStorage     = messages.CategoryStorage
	CategoryTracker     = messages.CategoryTracker
	CategoryDebug       = messages.CategoryDebug
	CategoryStatus      = messages.CategoryStatus
	CategoryProgress    = messages.CategoryProgress
	CategoryIPBlock     = messages.CategoryIPBlock
	CategoryPerformance = messages.CategoryPerformance
	CategoryDHT         = messages.CategoryDHT
	CategoryStats       = messages.CategoryStats
	CategoryAll         = messages.CategoryAll
)

// Alert is an event from the session (libtorrent's alert). Alerts are
// immutable values: keep them as long as you like.
type Alert interface {
	// Type is a stable small integer per alert type (libtorrent 1.1 ids).
	Type() int
	// Category is the alert's category bits.
	Category() AlertCategory
	// What is libtorrent's name of the type ("torrent_finished", ...).
	What() string
	// Message is a human-readable description.
	Message() string
	// Timestamp is when the alert was made.
	Timestamp() time.Time
}

// TorrentAlert is an alert about one torrent; it carries the handle.
type TorrentAlert interface {
	Alert
	TorrentHandle() TorrentHandle
}

// alertBase holds what every alert has.
type alertBase struct {
	at time.Time
}

// Timestamp is when the alert was made.
func (b alertBase) Timestamp() time.Time { return b.at }

// torrentAlertBase holds what every torrent alert has.
type torrentAlertBase struct {
	alertBase
	// Handle is the torrent's handle (maybe no longer valid).
	Handle TorrentHandle
}

// TorrentHandle returns the handle of the torrent the alert is about.
func (b torrentAlertBase) TorrentHandle() TorrentHandle { return b.Handle }

// torrentName renders a torrent for messages.
func (b torrentAlertBase) torrentName() string { return b.Handle.ih.String()[:8] }
