package torrentactor

import (
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// gauges are the session's counters the torrent is counted in (ses.num_*_torrents) and adds to. A
// view of the actor, not a part of it: the state stays in the actor (1000 of its size class's 1024
// bytes), the type names the concern's methods.
type gauges struct{ *Actor }

// torrentGauge is which ses.num_*_torrents gauge a torrent is counted in
// (in: any; not before its first message nor after it stopped).
type torrentGauge struct {
	held int32 // a stats.Index
	in   bool
}

// statsState is libtorrent's torrent::current_stats_state: errored
// first; a torrent that allows no peers (paused, or pausing gracefully)
// is stopped, or queued when auto-managed; then checking, seeding,
// upload-only (finished with pieces it does not want), downloading.
// Fetching metadata counts as downloading, as in libtorrent.
func (a gauges) statsState() stats.Index {
	switch {
	case a.life.err != nil:
		return stats.SesNumErrorTorrents
	case a.life.paused || a.life.pausing():
		switch {
		case !a.life.autoManaged:
			return stats.SesNumStoppedTorrents
		case a.isSeed():
			return stats.SesNumQueuedSeedingTorrents
		}
		return stats.SesNumQueuedDownloadTorrents
	case a.life.state == messages.StateCheckingFiles || a.life.state == messages.StateCheckingResumeData:
		return stats.SesNumCheckingTorrents
	case a.isSeed():
		return stats.SesNumSeedingTorrents
	case a.life.finished || a.diskErr.uploadMode:
		return stats.SesNumUploadOnlyTorrents
	}
	return stats.SesNumDownloadingTorrents
}

func (a gauges) isSeed() bool { return a.have.Len() > 0 && a.have.All() }

// afterMessage runs after each message: the stats that follow the
// torrent's state whatever handled the message.
func (a gauges) afterMessage(ctx actor.Context) {
	a.updateGauge(ctx)
	statsAlerting{a.Actor}.statsAlertHook(ctx)
}

// updateGauge moves the torrent to the gauge of its state after each
// message (libtorrent's update_gauge at each state change: comparing a
// few fields after each message is cheaper than finding every site), and
// out of them when it stops.
func (a gauges) updateGauge(ctx actor.Context) {
	if _, stopped := ctx.Message().(*actor.Stopped); stopped {
		if g := &a.gauge; g.in {
			a.cfg.Counters.Add(stats.Index(g.held), -1)
			g.in = false
		}
		return
	}
	a.syncGauge()
}

// syncGauge moves the torrent to the gauge of its state now. post calls
// it too: whoever hears an alert (state_changed, torrent_paused, ...) and
// then asks for the session's stats sees the gauges the alert implies.
func (a gauges) syncGauge() {
	c := a.cfg.Counters
	if c == nil {
		return
	}
	g := &a.gauge
	s := a.statsState()
	if g.in && stats.Index(g.held) == s {
		return
	}
	if g.in {
		c.Add(stats.Index(g.held), -1)
	}
	c.Inc(s)
	g.held, g.in = int32(s), true
}

// countHashFailureBan: a peer banned for sending bad data (libtorrent
// counts it in both).
func (a gauges) countHashFailureBan() {
	a.cfg.Counters.Inc(stats.PeerBannedForHashFailure)
	a.cfg.Counters.Inc(stats.PeerNumBannedPeers)
}

// countTrackerTraffic adds an announce's or scrape's bytes (estimated
// from the protocols' sizes, as libtorrent does) to the session's.
func (a gauges) countTrackerTraffic(m *messages.TrackerTraffic) {
	a.cfg.Counters.Add(stats.NetSentTrackerBytes, m.Upload)
	a.cfg.Counters.Add(stats.NetRecvTrackerBytes, m.Download)
}
