package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// add folds a peer's per-second report into the torrent's totals.
func (c *counters) add(m *messages.PeerStats) {
	c.download += m.Download
	c.upload += m.Upload
	c.payloadDownload += m.PayloadDownload
	c.payloadUpload += m.PayloadUpload
	c.dDownload += m.Download
	c.dUpload += m.Upload
	c.dPayloadDownload += m.PayloadDownload
	c.dPayloadUpload += m.PayloadUpload
}

// addPeerFinal is a hook for bytes a peer counted after its last report;
// peers report every second, so nothing is left to add today.
func (c *counters) addPeerFinal(*peerInfo) {}

// handleTick reports the last second's counters to the session and lets
// idle peers ask for blocks again. It runs only while something is due
// (handle_tick.go).
func (a ticker) handleTick(ctx actor.Context) {
	a.closeIdlePeers(ctx) // a graceful pause's time limit
	peerList{a.Actor}.connectMore(ctx)
	diskErrors{a.Actor}.retryDisk(ctx, time.Now())
	trackers{a.Actor}.tickTrackers(ctx)
	pexing{a.Actor}.tick(ctx, time.Now())
	displacing{a.Actor}.dropUninteresting(ctx, time.Now())
	superSeeder{a.Actor}.tick(ctx)
	sharing{a.Actor}.recalc(ctx) // what was uploaded since may allow a piece
	a.reportStats(ctx)
}

// reportStats sends the session the counters since the last report and
// the current rates.
func (a ticker) reportStats(ctx actor.Context) {
	c := &a.counters
	active, finished, _ := a.clock.times(time.Now())
	u := &messages.TorrentStatsUpdate{
		InfoHash: a.ih,
		Download: c.dDownload, Upload: c.dUpload,
		PayloadDownload: c.dPayloadDownload, PayloadUpload: c.dPayloadUpload,
		FailedBytes: c.dFailed, RedundantBytes: c.dRedundant,
		TrackerUpload: a.trk.dUp, TrackerDownload: a.trk.dDown,
		PeerlistSize: a.plist.Len(),
		State:        a.life.state, Errored: a.life.err != nil,
		AllTimeDownload: a.resume.prevDownload + a.counters.payloadDownload,
		AllTimeUpload:   a.resume.prevUpload + a.counters.payloadUpload,
		ActiveTime:      active, FinishedTime: finished,
		NumComplete: a.trk.summary.NumComplete, NumIncomplete: a.trk.summary.NumIncomplete,
	}
	u.TotalWanted, _ = priorities{a.Actor}.wantedBytes()
	a.trk.dUp, a.trk.dDown = 0, 0
	for p := range a.peers.all() {
		if p.closed || p.leaving || !p.connected {
			continue
		}
		u.NumPeers++
		if p.unchoked {
			u.NumUnchoked++
		}
		u.DownloadRate += p.stats.DownloadRate
		u.UploadRate += p.stats.UploadRate
		u.PayloadDownloadRate += p.stats.PayloadDownloadRate
		u.PayloadUploadRate += p.stats.PayloadUploadRate
	}
	c.dDownload, c.dUpload, c.dPayloadDownload, c.dPayloadUpload, c.dFailed, c.dRedundant = 0, 0, 0, 0, 0, 0
	ctx.Send(a.cfg.Session, u)
}
