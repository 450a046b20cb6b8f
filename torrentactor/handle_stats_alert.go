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
		a.postStatsAlert(ctx)
		a.syncStatsAlert(ctx)
	case *messages.PeerStats:
		st := a.statsAlert()
		st.ipUp += m.IPOverheadUpload
		st.ipDown += m.IPOverheadDownload
	case *messages.TrackerTraffic:
		st := a.statsAlert()
		st.trackerUp += m.Upload
		st.trackerDown += m.Download
	case *messages.PeerConnected, *messages.SettingsChanged:
		a.syncStatsAlert(ctx)
	case *actor.Stopping:
		a.stopStatsAlert()
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

// statsAlertArmed: the timer runs.
func (a statsAlerting) statsAlertArmed() bool { return a.stAlert != nil && a.stAlert.cancel != nil }

func (a statsAlerting) wantsStatsAlerts() bool {
	if messages.AlertCategory(a.set.Int(settings.AlertMask))&messages.CategoryStats == 0 || a.life.removing {
		return false
	}
	for p := range a.peers.all() {
		if p.connected && !p.closed {
			return true
		}
	}
	return false
}

// syncStatsAlert arms or stops the timer as wantsStatsAlerts says.
func (a statsAlerting) syncStatsAlert(ctx actor.Context) {
	want := a.wantsStatsAlerts()
	switch {
	case want && !a.statsAlertArmed():
		st := a.statsAlert()
		st.since, st.last = time.Now(), a.statsTotals()
		st.cancel = actors.SendRepeatedly(ctx, statsAlertInterval, statsAlertInterval, ctx.Self(), &statsTick{})
	case !want && a.statsAlertArmed():
		a.stopStatsAlert()
	}
}

func (a statsAlerting) stopStatsAlert() {
	if a.statsAlertArmed() {
		a.stAlert.cancel()
		a.stAlert.cancel = nil
	}
}

func (a statsAlerting) statsTotals() statsTotals {
	c, s := &a.counters, a.stAlert
	if s == nil {
		s = &statsAlertState{}
	}
	return statsTotals{
		payloadUp: c.payloadUpload, protocolUp: c.upload - c.payloadUpload,
		payloadDown: c.payloadDownload, protocolDown: c.download - c.payloadDownload,
		ipUp: s.ipUp, ipDown: s.ipDown, trackerUp: s.trackerUp, trackerDown: s.trackerDown,
	}
}

// postStatsAlert posts the bytes since the last one (the peers report
// theirs every second).
func (a statsAlerting) postStatsAlert(ctx actor.Context) {
	if !a.statsAlertArmed() {
		return // a tick that was on its way when the timer stopped
	}
	now, cur, last := time.Now(), a.statsTotals(), a.stAlert.last
	al := &messages.StatsAlert{TorrentAlertHeader: messages.TorrentAlertHeader{AlertHeader: messages.AlertHeader{At: now}, InfoHash: a.ih},
		Interval: int(now.Sub(a.stAlert.since).Milliseconds())}
	t := &al.Transferred
	t[messages.StatsUploadPayload] = int(cur.payloadUp - last.payloadUp)
	t[messages.StatsUploadProtocol] = int(cur.protocolUp - last.protocolUp)
	t[messages.StatsDownloadPayload] = int(cur.payloadDown - last.payloadDown)
	t[messages.StatsDownloadProtocol] = int(cur.protocolDown - last.protocolDown)
	t[messages.StatsUploadIPProtocol] = int(cur.ipUp - last.ipUp)
	t[messages.StatsUploadTrackerProtocol] = int(cur.trackerUp - last.trackerUp)
	t[messages.StatsDownloadIPProtocol] = int(cur.ipDown - last.ipDown)
	t[messages.StatsDownloadTrackerProtocol] = int(cur.trackerDown - last.trackerDown)
	a.stAlert.since, a.stAlert.last = now, cur
	a.post(ctx, al)
}
