package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// statsAlerting is the stats_alert of libtorrent: armed only while the alert mask asks for it. A
// view of the actor, not a part of it: the state stays in the actor (1000 of its size class's 1024
// bytes), the type names the concern's methods.
type statsAlerting struct{ *Actor }

// statsAlertInterval is how often a torrent posts stats_alert: libtorrent
// posts it from the torrent's second tick (there is no setting for it;
// the alert's Interval says how long the sample really was).
const statsAlertInterval = time.Second

// statsAlertState is the stats_alert timer and what it measures from: the
// timer runs only while the alert mask has CategoryStats and the torrent
// has connected peers, so an idle torrent has no timer.
type statsAlertState struct {
	cancel func()
	since  time.Time
	last   statsTotals // at since
	// cumulative counts kept for the alert alone (the torrent's other
	// counters have no IP overhead, and reset their tracker bytes)
	ipUp, ipDown           int64
	trackerUp, trackerDown int64
}

type statsTotals struct {
	payloadUp, protocolUp, payloadDown, protocolDown int64
	ipUp, ipDown, trackerUp, trackerDown             int64
}

// statsTick is the timer's message.
type statsTick struct{}

// statsAlertHook runs after every message (afterMessage): it follows the
// messages that start or feed the timer, and handles its ticks.
func (a statsAlerting) statsAlertHook(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *statsTick:
		if a.stAlert.armed() { // else a tick on its way when the timer stopped
			a.post(ctx, a.stAlert.sample(time.Now(), a.ih, a.stAlert.totals(&a.counters)))
		}
		a.syncStatsAlert(ctx)
	case *messages.PeerStats:
		a.statsAlert().addIP(m.IPOverheadUpload, m.IPOverheadDownload)
	case *messages.TrackerTraffic:
		a.statsAlert().addTracker(m.Upload, m.Download)
	case *messages.PeerConnected, *messages.SettingsChanged:
		a.syncStatsAlert(ctx)
	case *actor.Stopping:
		a.stAlert.stop()
	}
}

// statsAlert is the stats_alert state, made on first use (a torrent
// without traffic has none).
func (a statsAlerting) statsAlert() *statsAlertState {
	if a.stAlert == nil {
		a.stAlert = &statsAlertState{}
	}
	return a.stAlert
}

// wantsStatsAlerts: the alert mask asks for stats and the torrent has a
// connected peer.
func (a statsAlerting) wantsStatsAlerts() bool {
	if messages.AlertCategory(a.set.Int(settings.AlertMask))&messages.CategoryStats == 0 || a.life.removing {
		return false
	}
	for p := range a.peers.open() {
		if p.connected {
			return true
		}
	}
	return false
}

// syncStatsAlert arms or stops the timer as wantsStatsAlerts says.
func (a statsAlerting) syncStatsAlert(ctx actor.Context) {
	want := a.wantsStatsAlerts()
	switch {
	case want && !a.stAlert.armed():
		st := a.statsAlert()
		st.arm(time.Now(), st.totals(&a.counters),
			actors.SendRepeatedly(ctx, statsAlertInterval, statsAlertInterval, ctx.Self(), &statsTick{}))
	case !want && a.stAlert.armed():
		a.stAlert.stop()
	}
}

// armed: the timer runs (s may be nil: none made yet).
func (s *statsAlertState) armed() bool { return s != nil && s.cancel != nil }

// arm starts measuring at now, from totals, with the timer cancel stops.
func (s *statsAlertState) arm(now time.Time, totals statsTotals, cancel func()) {
	s.since, s.last, s.cancel = now, totals, cancel
}

// stop stops the timer (s may be nil).
func (s *statsAlertState) stop() {
	if s.armed() {
		s.cancel()
		s.cancel = nil
	}
}

// addIP and addTracker count the bytes only the alert reports.
func (s *statsAlertState) addIP(up, down int64)      { s.ipUp += up; s.ipDown += down }
func (s *statsAlertState) addTracker(up, down int64) { s.trackerUp += up; s.trackerDown += down }

// totals are the cumulative counts now: the torrent's counters c and the
// alert's own (s may be nil).
func (s *statsAlertState) totals(c *counters) statsTotals {
	t := statsTotals{
		payloadUp: c.payloadUpload, protocolUp: c.upload - c.payloadUpload,
		payloadDown: c.payloadDownload, protocolDown: c.download - c.payloadDownload,
	}
	if s != nil {
		t.ipUp, t.ipDown, t.trackerUp, t.trackerDown = s.ipUp, s.ipDown, s.trackerUp, s.trackerDown
	}
	return t
}

// sample is the stats_alert for the bytes between the last sample and cur
// at now (the peers report theirs every second); the next one counts from
// here.
func (s *statsAlertState) sample(now time.Time, ih messages.InfoHash, cur statsTotals) *messages.StatsAlert {
	last := s.last
	al := &messages.StatsAlert{TorrentAlertHeader: messages.TorrentAlertHeader{AlertHeader: messages.AlertHeader{At: now}, InfoHash: ih},
		Interval: int(now.Sub(s.since).Milliseconds())}
	t := &al.Transferred
	t[messages.StatsUploadPayload] = int(cur.payloadUp - last.payloadUp)
	t[messages.StatsUploadProtocol] = int(cur.protocolUp - last.protocolUp)
	t[messages.StatsDownloadPayload] = int(cur.payloadDown - last.payloadDown)
	t[messages.StatsDownloadProtocol] = int(cur.protocolDown - last.protocolDown)
	t[messages.StatsUploadIPProtocol] = int(cur.ipUp - last.ipUp)
	t[messages.StatsUploadTrackerProtocol] = int(cur.trackerUp - last.trackerUp)
	t[messages.StatsDownloadIPProtocol] = int(cur.ipDown - last.ipDown)
	t[messages.StatsDownloadTrackerProtocol] = int(cur.trackerDown - last.trackerDown)
	s.since, s.last = now, cur
	return al
}
