package actorrent

import "github.com/actorrent/actorrent/messages"

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
	// CategoryBlockProgress has the per-block alerts (block_downloading,
	// block_finished, block_timeout): libtorrent 1.2's bit, split from
	// CategoryProgress because they come twice a block.
	CategoryBlockProgress = messages.CategoryBlockProgress
	CategoryAll           = messages.CategoryAll
)

// Alert is an event from the session (libtorrent's alert). Alerts are
// immutable values: keep them as long as you like. Every alert type is
// declared once, in package messages (fields, libtorrent's type id,
// category, name and message); this package re-exports each under the
// same name (alerts_gen.go), adding the torrent's handle to alerts about
// a torrent. Discardable is false for the alerts never dropped when the
// queue is full. Which of libtorrent's 1.0 alerts are posted, and why the
// others are not yet: README.md, "Alerts".
type Alert = messages.Alert

// TorrentAlert is an alert about one torrent; it carries the handle.
type TorrentAlert interface {
	Alert
	TorrentHandle() TorrentHandle
}

// The headers alerts embed: the time (every alert), the torrent's
// info-hash, a peer's endpoint and id, a tracker's URL.
type (
	AlertHeader        = messages.AlertHeader
	TorrentAlertHeader = messages.TorrentAlertHeader
	PeerAlertHeader    = messages.PeerAlertHeader
	TrackerAlertHeader = messages.TrackerAlertHeader
)

// torrentRef is what the facade adds to an alert about a torrent.
type torrentRef struct {
	// Handle is the torrent's handle (maybe no longer valid).
	Handle TorrentHandle
}

// TorrentHandle returns the handle of the torrent the alert is about.
func (r torrentRef) TorrentHandle() TorrentHandle { return r.Handle }

// torrentRef makes the handle of an alert's torrent.
func (s *Session) torrentRef(ih InfoHash) torrentRef {
	return torrentRef{Handle: TorrentHandle{ih: ih, s: s}}
}

//go:generate go run ./internal/alertgen -root .
