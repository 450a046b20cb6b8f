package messages

import (
	"fmt"

	"github.com/actorrent/actorrent/internal/tracker"
)

// Alerts about trackers (libtorrent's tracker_alert family).

// TrackerEvent is an announce's event (0 none, 1 completed, 2 started,
// 3 stopped: libtorrent's and BEP 15's values).
type TrackerEvent = tracker.Event

// The announce events.
const (
	EventNone      = tracker.EventNone
	EventCompleted = tracker.EventCompleted
	EventStarted   = tracker.EventStarted
	EventStopped   = tracker.EventStopped
)

// TrackerAnnounceAlert: an announce was sent.
type TrackerAnnounceAlert struct {
	TrackerAlertHeader
	Event TrackerEvent
}

// TrackerReplyAlert: a tracker answered an announce with NumPeers peers
// (ourselves not counted).
type TrackerReplyAlert struct {
	TrackerAlertHeader
	NumPeers int
}

// TrackerWarningAlert: a tracker's reply carried a warning.
type TrackerWarningAlert struct {
	TrackerAlertHeader
	Msg string
}

// TrackerErrorAlert: an announce failed. TimesInRow counts the tracker's
// failures in a row; StatusCode is the HTTP status (0 if none); Msg is the
// tracker's failure reason, if it gave one.
type TrackerErrorAlert struct {
	TrackerAlertHeader
	TimesInRow int
	StatusCode int
	Error      error
	Msg        string
}

// ScrapeReplyAlert: a scrape succeeded.
type ScrapeReplyAlert struct {
	TrackerAlertHeader
	Incomplete, Complete int
}

// ScrapeFailedAlert: a scrape failed.
type ScrapeFailedAlert struct {
	TrackerAlertHeader
	Error error
	Msg   string
}

// TrackeridAlert: a tracker gave us a tracker id.
type TrackeridAlert struct {
	TrackerAlertHeader
	TrackerID string
}

func (TrackerErrorAlert) Type() int    { return 11 }
func (TrackerWarningAlert) Type() int  { return 12 }
func (ScrapeReplyAlert) Type() int     { return 13 }
func (ScrapeFailedAlert) Type() int    { return 14 }
func (TrackerReplyAlert) Type() int    { return 15 }
func (TrackerAnnounceAlert) Type() int { return 17 }
func (TrackeridAlert) Type() int       { return 61 }

func (TrackerAnnounceAlert) Category() AlertCategory { return CategoryTracker }
func (TrackerReplyAlert) Category() AlertCategory    { return CategoryTracker }
func (TrackerWarningAlert) Category() AlertCategory  { return CategoryTracker | CategoryError }
func (TrackerErrorAlert) Category() AlertCategory    { return CategoryTracker | CategoryError }
func (ScrapeReplyAlert) Category() AlertCategory     { return CategoryTracker }
func (ScrapeFailedAlert) Category() AlertCategory    { return CategoryTracker | CategoryError }
func (TrackeridAlert) Category() AlertCategory       { return CategoryStatus }

func (TrackerAnnounceAlert) What() string { return "tracker_announce" }
func (TrackerReplyAlert) What() string    { return "tracker_reply" }
func (TrackerWarningAlert) What() string  { return "tracker_warning" }
func (TrackerErrorAlert) What() string    { return "tracker_error" }
func (ScrapeReplyAlert) What() string     { return "scrape_reply" }
func (ScrapeFailedAlert) What() string    { return "scrape_failed" }
func (TrackeridAlert) What() string       { return "trackerid" }

func (TrackerAnnounceAlert) Discardable() bool { return true }
func (TrackerReplyAlert) Discardable() bool    { return true }
func (TrackerWarningAlert) Discardable() bool  { return true }
func (TrackerErrorAlert) Discardable() bool    { return true }
func (ScrapeReplyAlert) Discardable() bool     { return true }
func (ScrapeFailedAlert) Discardable() bool    { return true }
func (TrackeridAlert) Discardable() bool       { return true }

func (a TrackerAnnounceAlert) Message() string {
	return fmt.Sprintf("%s sending announce (%s)", a.prefix(), a.Event)
}
func (a TrackerReplyAlert) Message() string {
	return fmt.Sprintf("%s received peers: %d", a.prefix(), a.NumPeers)
}
func (a TrackerWarningAlert) Message() string {
	return fmt.Sprintf("%s warning: %s", a.prefix(), a.Msg)
}
func (a TrackerErrorAlert) Message() string {
	return fmt.Sprintf("%s (%d) %v (%d times in a row)", a.prefix(), a.StatusCode, a.Error, a.TimesInRow)
}
func (a ScrapeReplyAlert) Message() string {
	return fmt.Sprintf("%s scrape reply: %d %d", a.prefix(), a.Incomplete, a.Complete)
}
func (a ScrapeFailedAlert) Message() string {
	return fmt.Sprintf("%s scrape failed: %s", a.prefix(), a.Msg)
}
func (a TrackeridAlert) Message() string {
	return fmt.Sprintf("%s trackerid received: %s", a.prefix(), a.TrackerID)
}
