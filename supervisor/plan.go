package supervisor

import (
	"errors"
	"fmt"
	"syscall"
	"time"
)

// Action is what a fault rule does.
type Action int

// The actions.
const (
	// ActionPanic panics: in Receive (the actor fails), or in a goroutine
	// the actor owns (recovered there and turned into the actor's
	// failure). The actor's supervisor decides what happens next.
	ActionPanic Action = iota + 1
	// ActionDelay holds the message (or the goroutine) for Rule.Delay
	// before it goes on: a slow actor, a slow disk, a slow network.
	ActionDelay
	// ActionDrop drops the message: Receive never sees it. The engine
	// does not promise progress after arbitrary drops of its internal
	// messages (a dropped disk write loses its block's credit); drops
	// are for testing the code around the engine and chosen messages.
	ActionDrop
	// ActionDiskError fails a disk job with Rule.Errno, as if the file
	// system had returned it (kind disk_worker, site job): EIO and EACCES
	// put the torrent in error, ENOSPC in upload mode.
	ActionDiskError
	// ActionResetConnection resets a peer's connection (TCP RST) after
	// the message is handled (kind peer).
	ActionResetConnection
	// ActionTrackerTimeout makes a tracker request time out: it waits
	// for tracker_completion_timeout (stop_tracker_timeout for stopped)
	// and fails with the tracker timeout error (kind tracker_announcer,
	// site announce or scrape).
	ActionTrackerTimeout
)

var actionNames = map[Action]string{
	ActionPanic: "panic", ActionDelay: "delay", ActionDrop: "drop", ActionDiskError: "disk_error",
	ActionResetConnection: "reset_connection", ActionTrackerTimeout: "tracker_timeout",
}

func (a Action) String() string {
	if n, ok := actionNames[a]; ok {
		return n
	}
	return fmt.Sprintf("action(%d)", int(a))
}

// Rule is one fault of a plan: which actors (Kind), where (Site), on which
// messages (Message), when (Nth, Every, Probability, Limit) and what
// (Action).
type Rule struct {
	Kind Kind
	// Site is where the fault is injected; empty means SiteReceive, or
	// the one site an action has (job for disk errors, announce for
	// tracker timeouts).
	Site Site
	// Message selects the messages by name; empty matches any. In
	// Receive it is the message's Go type name without package or
	// pointer ("HavePiece", "DiskWrite"), or a disk job's operation
	// ("write", "hash", "read", "check", "flush", "move", "rename",
	// "remove", "release", "sync", "priority", "create", "stat"). In a
	// goroutine it is what the goroutine handles: the reader's wire
	// message ("piece", "have", ...), a job's operation, a tracker
	// event ("started", "completed", "stopped", "none" for a regular
	// announce), or else the site's name. Lifecycle messages (Started,
	// Stopping, Terminated, ...) and the supervisor's own messages are
	// never matched.
	Message string
	// When: the Nth matching message only, or every Every-th, or each
	// with Probability (0 to 1, drawn from the plan's seeded source).
	// With none of them set, every matching message. Counts are per rule
	// across the session; Limit, when positive, caps how many times the
	// rule fires.
	Nth         int
	Every       int
	Probability float64
	Limit       int
	// Action is what happens; Delay is ActionDelay's duration, Errno
	// ActionDiskError's error.
	Action Action
	Delay  time.Duration
	Errno  syscall.Errno
}

// Plan is a list of fault rules. The first rule that fires for a message
// wins. Seed seeds the source of the Probability rules, so that a plan
// makes the same decisions for the same sequence of messages (the order
// in which concurrent actors get their messages still varies from run to
// run).
type Plan struct {
	Seed  uint64
	Rules []Rule
}

// ErrInvalidPlan is the error of a plan that cannot be applied.
var ErrInvalidPlan = errors.New("supervisor: invalid fault plan")

// defaultSite is the site a rule without one applies at.
func (r Rule) defaultSite() Site {
	switch r.Action {
	case ActionDiskError:
		return SiteJob
	case ActionTrackerTimeout:
		return SiteAnnounce
	}
	return SiteReceive
}

// normalized fills the defaults in.
func (r Rule) normalized() Rule {
	if r.Site == "" {
		r.Site = r.defaultSite()
	}
	return r
}

// Validate reports the first rule that cannot be applied, as an error
// wrapping ErrInvalidPlan.
func (p Plan) Validate() error {
	for i, r := range p.Rules {
		if err := r.normalized().validate(); err != nil {
			return fmt.Errorf("%w: rule %d: %v", ErrInvalidPlan, i, err)
		}
	}
	return nil
}

func (r Rule) validate() error {
	if !r.Kind.valid() {
		return fmt.Errorf("unknown kind %q", r.Kind)
	}
	if !r.Kind.has(r.Site) {
		return fmt.Errorf("kind %s has no site %q (it has %v)", r.Kind, r.Site, Sites(r.Kind))
	}
	when := 0
	for _, set := range []bool{r.Nth != 0, r.Every != 0, r.Probability != 0} {
		if set {
			when++
		}
	}
	switch {
	case when > 1:
		return errors.New("set at most one of Nth, Every and Probability")
	case r.Nth < 0 || r.Every < 0 || r.Limit < 0:
		return errors.New("Nth, Every and Limit are not negative")
	case r.Probability < 0 || r.Probability > 1:
		return fmt.Errorf("probability %v is not between 0 and 1", r.Probability)
	}
	return r.validateAction()
}

func (r Rule) validateAction() error {
	if r.Errno != 0 && r.Action != ActionDiskError {
		return errors.New("Errno is for disk_error")
	}
	if r.Delay != 0 && r.Action != ActionDelay {
		return errors.New("Delay is for delay")
	}
	switch r.Action {
	case ActionPanic:
	case ActionDelay:
		if r.Delay <= 0 {
			return errors.New("delay needs a positive Delay")
		}
	case ActionDrop:
		if r.Site != SiteReceive {
			return errors.New("drop applies in receive only")
		}
	case ActionDiskError:
		if r.Kind != KindDiskWorker || r.Site != SiteJob {
			return errors.New("disk_error applies to kind disk_worker, site job")
		}
		if r.Errno == 0 {
			return errors.New("disk_error needs an Errno (EIO, ENOSPC, EACCES, ...)")
		}
	case ActionResetConnection:
		if r.Kind != KindPeer || r.Site != SiteReceive {
			return errors.New("reset_connection applies to kind peer, site receive")
		}
	case ActionTrackerTimeout:
		if r.Kind != KindAnnouncer || (r.Site != SiteAnnounce && r.Site != SiteScrape) {
			return errors.New("tracker_timeout applies to kind tracker_announcer, site announce or scrape")
		}
	default:
		return fmt.Errorf("unknown action %d", int(r.Action))
	}
	return nil
}
