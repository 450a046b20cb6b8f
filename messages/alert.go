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
	CategoryAll         AlertCategory = 0x7fffffff
)

// Alert is an event for the user, as posted by actors to the alert actor.
// The facade turns each into its public, immutable alert value.
type Alert interface {
	// AlertCategory is the alert's category bits.
	AlertCategory() AlertCategory
	// AlertWhat is libtorrent's what() name, used for drop accounting.
	AlertWhat() string
	// Discardable is false for alerts never dropped on overflow.
	Discardable() bool
	// When is the time the alert was made.
	When() time.Time
}

// AlertHeader is embedded in every alert: its time of creation.
type AlertHeader struct {
	At time.Time
}

// When returns the time of creation.
func (h AlertHeader) When() time.Time { return h.At }

// Now returns a header stamped with the current time.
func Now() AlertHeader { return AlertHeader{At: time.Now()} }

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

// AlwaysPosted reports the alerts libtorrent posts whatever the alert
// mask (it emplaces them without asking should_post): the answer to an
// add (add_torrent) and to a save_resume_data request. A program that
// waits for them must get them under any mask.
func AlwaysPosted(a Alert) bool {
	switch a.(type) {
	case *AddTorrentAlert, *SaveResumeDataAlert, *SaveResumeDataFailedAlert:
		return true
	}
	return false
}
