// Package announcer is a torrent's tracker announcer: a child actor of the
// torrent that owns its tracker.List and one timer, runs each announce on a
// goroutine bounded by a context, and tells its parent peers, summaries and
// traffic as messages (messages.TrackerPeers, TrackerSummary, ...).
package announcer

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/tracker"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
)

// TrackerConfig is what a torrent needs to announce. A nil Client means
// no announcer (actor tests that do not care about trackers).
type TrackerConfig struct {
	Client TrackerClient
	// Tiers are the torrent's trackers (announce-list order).
	Tiers [][]string
	List  tracker.Settings
	// NumWant is peers asked for per announce (num_want; 0: 200).
	NumWant int
	// CompletionTimeout bounds one announce (tracker_completion_timeout;
	// 0: 30 s); StopTimeout bounds stopped announces and how long a
	// removal waits for them (stop_tracker_timeout; 0: 5 s).
	CompletionTimeout, StopTimeout time.Duration
	// Port is our listen port; LocalAddrs are our addresses: a tracker
	// peer at one of them (or on loopback) with Port is us, and dropped.
	Port       int
	LocalAddrs []netip.Addr
	Key        uint32
	// TrackerID is sent to trackers that gave us none yet
	// (AddTorrentParams.TrackerID, libtorrent's trackerid).
	TrackerID string
	// Rand shuffles tiers (BEP 12); nil seeds one.
	Rand *rand.Rand
}

func (c TrackerConfig) withDefaults() TrackerConfig {
	if c.NumWant <= 0 {
		c.NumWant = tracker.DefaultNumWant
	}
	if c.CompletionTimeout <= 0 {
		c.CompletionTimeout = 30 * time.Second
	}
	if c.StopTimeout <= 0 {
		c.StopTimeout = 5 * time.Second
	}
	if c.Rand == nil {
		c.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return c
}

// WithSettings fills the tracker settings of c from s.
func (c TrackerConfig) WithSettings(s *settings.Snapshot) TrackerConfig {
	c.List = tracker.Settings{
		AnnounceToAllTiers:    s.Bool(settings.AnnounceToAllTiers),
		AnnounceToAllTrackers: s.Bool(settings.AnnounceToAllTrackers),
		BackoffPercent:        s.Int(settings.TrackerBackoff),
		MinAnnounceInterval:   s.Seconds(settings.MinAnnounceInterval),
	}
	c.NumWant = s.Int(settings.NumWant)
	c.CompletionTimeout = s.Seconds(settings.TrackerCompletionTimeout)
	c.StopTimeout = s.Seconds(settings.StopTrackerTimeout)
	return c
}

// Config configures one torrent's announcer.
type Config struct {
	TrackerConfig
	InfoHash messages.InfoHash
	PeerID   [20]byte
	Alerts   *actor.PID
	// Supervision injects the plan's faults into announces (nil: none).
	Supervision *supervisor.Supervision
}

// announcer is the torrent's tracker actor, a child of the torrent actor:
// it owns the tracker.List and its one timer, runs every announce on a
// goroutine of its own bounded by a context, and gets the results back as
// messages. Its parent gets peers, summaries and traffic.
type announcer struct {
	cfg   Config
	list  *tracker.List
	stats messages.AnnounceStats
	self  map[netip.Addr]bool

	// base is cancelled when the actor stops, so no goroutine outlives it.
	base   context.Context
	cancel context.CancelFunc
	// inflight counts goroutines whose result has not come back.
	inflight int

	timer   scheduler.CancelFunc
	timerAt time.Time
	gen     int // of the armed timer; stale wakes are ignored

	// stopWaiters asked for StopAnnouncing with a reply; stopGuard answers
	// them after StopTimeout whatever the trackers do.
	stopWaiters []*actor.PID
	stopGuard   scheduler.CancelFunc

	summary messages.TrackerSummary
	// ipf is the IP filter announces honour (apply_ip_filter_to_trackers
	// with a torrent that applies the filter); nil: none.
	ipf *ipfilter.IPFilter
}

// wake is the announcer's timer.
type wake struct{ gen int }

// stopGuard ends the wait for stopped announces.
type stopGuardFired struct{}

// announceResult is a finished announce, from its goroutine. base is the
// context of the incarnation that started it: after a restart, results of
// the one before are dropped (its list is gone).
type announceResult struct {
	base context.Context
	job  tracker.Job
	resp tracker.AnnounceResponse
	err  error
}

// scrapeResult is a finished scrape.
type scrapeResult struct {
	base  context.Context
	entry tracker.EntryID
	url   string
	resp  tracker.ScrapeResponse
	err   error
}

// New returns the props of a torrent's announcer. Exported for the
// session's tests and tools; a torrent spawns its own.
func New(cfg Config) *actor.Props {
	cfg.TrackerConfig = cfg.TrackerConfig.withDefaults()
	return actor.PropsFromProducer(func() actor.Actor {
		a := &announcer{cfg: cfg, self: map[netip.Addr]bool{}}
		for _, ad := range cfg.LocalAddrs {
			a.self[ad.Unmap()] = true
		}
		return a
	})
}

// Receive dispatches on the message type.
func (a *announcer) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.base, a.cancel = context.WithCancel(context.Background())
		a.list = tracker.NewList(a.cfg.Tiers, a.cfg.List, a.cfg.Rand)
	case *messages.StartAnnouncing:
		a.stats = m.Stats
		a.list.Start()
		a.pump(ctx)
	case *messages.AnnounceStats:
		a.stats = *m
	case *messages.StopAnnouncing:
		a.handleStop(ctx)
	case *messages.AnnounceCompleted:
		a.list.Completed()
		a.pump(ctx)
	case *messages.ForceReannounce:
		a.list.ForceReannounce(time.Now())
		a.pump(ctx)
	case *messages.AddTracker:
		a.list.Add(m.URL, m.Tier)
		a.pump(ctx)
	case *messages.ReplaceTrackers:
		a.list.Replace(m.Tiers)
		a.pump(ctx)
	case *messages.SettingsChanged:
		a.cfg.TrackerConfig = a.cfg.TrackerConfig.WithSettings(m.Settings)
		a.list.SetSettings(a.cfg.List)
		a.pump(ctx)
	case *SetFilter:
		a.ipf = m.Filter
	case *messages.GetTrackers:
		ctx.Respond(&messages.GetTrackersReply{Trackers: a.list.Trackers()})
	case *messages.ScrapeTracker:
		a.handleScrape(ctx, m)
	case *wake:
		if m.gen == a.gen {
			a.timer, a.timerAt = nil, time.Time{}
			a.pump(ctx)
		}
	case *announceResult:
		a.handleAnnounceResult(ctx, m)
	case *scrapeResult:
		a.handleScrapeResult(ctx, m)
	case *stopGuardFired:
		a.answerStop(ctx)
	case *messages.GoroutineFailed:
		panic(m) // an announce panicked: fail, be restarted
	case *actor.Stopping, *actor.Restarting:
		a.cancel()
		a.disarm()
		if a.stopGuard != nil {
			a.stopGuard()
		}
	}
}

// pump runs what is due and arms the timer for what comes next; it is
// called after everything that changes the list (tracker.List's contract).
func (a *announcer) pump(ctx actor.Context) {
	now := time.Now()
	for _, j := range a.list.Due(now) {
		a.runAnnounce(ctx, j)
	}
	a.arm(ctx, now, a.list.Next(now))
	a.publishSummary(ctx, now)
	if len(a.stopWaiters) > 0 && a.stopDone() {
		a.answerStop(ctx)
	}
}

// arm sets the one timer for at (zero: none), keeping it if it is already
// set for that moment.
func (a *announcer) arm(ctx actor.Context, now, at time.Time) {
	if at.Equal(a.timerAt) && (a.timer != nil || at.IsZero()) {
		return
	}
	a.disarm()
	if at.IsZero() {
		return
	}
	a.gen++
	a.timerAt = at
	a.timer = scheduler.NewTimerScheduler(ctx).SendOnce(max(at.Sub(now), 0), ctx.Self(), &wake{gen: a.gen})
}

func (a *announcer) disarm() {
	if a.timer != nil {
		a.timer()
	}
	a.timer, a.timerAt = nil, time.Time{}
	a.gen++
}

// handleStop sends stopped to the trackers that know us; a requester is
// answered when they all answered (or failed), or after StopTimeout.
func (a *announcer) handleStop(ctx actor.Context) {
	a.list.Stop()
	if ctx.Sender() != nil {
		a.stopWaiters = append(a.stopWaiters, ctx.Sender())
		if a.stopGuard == nil {
			a.stopGuard = scheduler.NewTimerScheduler(ctx).SendOnce(a.cfg.StopTimeout, ctx.Self(), &stopGuardFired{})
		}
	}
	a.pump(ctx)
}

// stopDone: no stopped announce is owed or out, nor any announce whose
// success would owe one.
func (a *announcer) stopDone() bool {
	return a.inflight == 0 && !a.list.Stopping()
}

func (a *announcer) answerStop(ctx actor.Context) {
	for _, w := range a.stopWaiters {
		ctx.Send(w, &messages.AnnouncingStopped{})
	}
	a.stopWaiters = nil
	if a.stopGuard != nil {
		a.stopGuard()
		a.stopGuard = nil
	}
}

// publishSummary tells the torrent what its status shows of the trackers,
// when that changed.
func (a *announcer) publishSummary(ctx actor.Context, now time.Time) {
	s := messages.TrackerSummary{NumComplete: -1, NumIncomplete: -1, NextAnnounce: a.list.Next(now)}
	for _, t := range a.list.Trackers() {
		if t.Working && s.CurrentTracker == "" {
			s.CurrentTracker, s.Interval = t.URL, t.Interval
		}
		// libtorrent shows the largest counts any tracker reported.
		s.NumComplete = max(s.NumComplete, t.ScrapeComplete)
		s.NumIncomplete = max(s.NumIncomplete, t.ScrapeIncomplete)
	}
	if s != a.summary {
		a.summary = s
		ctx.Send(ctx.Parent(), &s)
	}
}

func (a *announcer) post(ctx actor.Context, al messages.Alert) {
	if a.cfg.Alerts != nil {
		ctx.Send(a.cfg.Alerts, &messages.PostAlert{Alert: al})
	}
}
