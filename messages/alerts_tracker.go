package messages

import "github.com/actorrent/actorrent/internal/tracker"

// Alerts about trackers (libtorrent's tracker_alert family).

// TrackerAnnounceAlert: an announce was sent.
type TrackerAnnounceAlert struct {
	AlertHeader
	InfoHash InfoHash
	URL      string
	Event    tracker.Event
}

// TrackerReplyAlert: a tracker answered an announce.
type TrackerReplyAlert struct {
	AlertHeader
	InfoHash InfoHash
	URL      string
	NumPeers int
}

// TrackerWarningAlert: a tracker's reply carried a warning message.
type TrackerWarningAlert struct {
	AlertHeader
	InfoHash InfoHash
	URL      string
	Msg      string
}

// TrackerErrorAlert: an announce failed.
type TrackerErrorAlert struct {
	AlertHeader
	InfoHash   InfoHash
	URL        string
	TimesInRow int
	StatusCode int
	Err        error
	Msg        string
}

// ScrapeReplyAlert: a scrape succeeded.
type ScrapeReplyAlert struct {
	AlertHeader
	InfoHash             InfoHash
	URL                  string
	Incomplete, Complete int
}

// ScrapeFailedAlert: a scrape failed.
type ScrapeFailedAlert struct {
	AlertHeader
	InfoHash InfoHash
	URL      string
	Err      error
	Msg      string
}

// TrackeridAlert: a tracker gave us a (new) tracker id.
type TrackeridAlert struct {
	AlertHeader
	InfoHash  InfoHash
	URL       string
	TrackerID string
}

func (TrackerAnnounceAlert) AlertCategory() AlertCategory { return CategoryTracker }
func (TrackerReplyAlert) AlertCategory() AlertCategory    { return CategoryTracker }
func (TrackerWarningAlert) AlertCategory() AlertCategory  { return CategoryTracker | CategoryError }
func (TrackerErrorAlert) AlertCategory() AlertCategory    { return CategoryTracker | CategoryError }
func (ScrapeReplyAlert) AlertCategory() AlertCategory     { return CategoryTracker }
func (ScrapeFailedAlert) AlertCategory() AlertCategory    { return CategoryTracker | CategoryError }
func (TrackeridAlert) AlertCategory() AlertCategory       { return CategoryStatus }

func (TrackerAnnounceAlert) AlertWhat() string { return "tracker_announce" }
func (TrackerReplyAlert) AlertWhat() string    { return "tracker_reply" }
func (TrackerWarningAlert) AlertWhat() string  { return "tracker_warning" }
func (TrackerErrorAlert) AlertWhat() string    { return "tracker_error" }
func (ScrapeReplyAlert) AlertWhat() string     { return "scrape_reply" }
func (ScrapeFailedAlert) AlertWhat() string    { return "scrape_failed" }
func (TrackeridAlert) AlertWhat() string       { return "trackerid" }

func (TrackerAnnounceAlert) Discardable() bool { return true }
func (TrackerReplyAlert) Discardable() bool    { return true }
func (TrackerWarningAlert) Discardable() bool  { return true }
func (TrackerErrorAlert) Discardable() bool    { return true }
func (ScrapeReplyAlert) Discardable() bool     { return true }
func (ScrapeFailedAlert) Discardable() bool    { return true }
func (TrackeridAlert) Discardable() bool       { return true }
