package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/piecepicker"
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
func (a *Actor) handleTick(ctx actor.Context) {
	a.closeIdlePeers(ctx) // a graceful pause's time limit
	a.connectMore(ctx)
	a.retryDisk(ctx, time.Now())
	a.tickTrackers(ctx)
	a.reportStats(ctx)
}

// reportStats sends the session the counters since the last report and
// the current rates.
func (a *Actor) reportStats(ctx actor.Context) {
	c := &a.counters
	active, finished, _ := a.times(time.Now())
	u := &messages.TorrentStatsUpdate{
		InfoHash: a.ih,
		Download: c.dDownload, Upload: c.dUpload,
		PayloadDownload: c.dPayloadDownload, PayloadUpload: c.dPayloadUpload,
		FailedBytes: c.dFailed, RedundantBytes: c.dRedundant,
		TrackerUpload: a.trk.dUp, TrackerDownload: a.trk.dDown,
		PeerlistSize: a.plist.Len(),
		State:        a.state, Errored: a.errored != nil,
		AllTimeDownload: a.resume.prevDownload + a.counters.payloadDownload,
		AllTimeUpload:   a.resume.prevUpload + a.counters.payloadUpload,
		ActiveTime:      active, FinishedTime: finished,
		NumComplete: a.trk.summary.NumComplete, NumIncomplete: a.trk.summary.NumIncomplete,
	}
	u.TotalWanted, _ = a.wantedBytes()
	a.trk.dUp, a.trk.dDown = 0, 0
	for _, p := range a.peers {
		if p.closed || p.leaving || !p.connected {
			continue
		}
		u.NumPeers++
		u.DownloadRate += p.stats.DownloadRate
		u.UploadRate += p.stats.UploadRate
		u.PayloadDownloadRate += p.stats.PayloadDownloadRate
		u.PayloadUploadRate += p.stats.PayloadUploadRate
	}
	c.dDownload, c.dUpload, c.dPayloadDownload, c.dPayloadUpload, c.dFailed, c.dRedundant = 0, 0, 0, 0, 0, 0
	ctx.Send(a.cfg.Session, u)
}

// status builds the torrent_status snapshot.
func (a *Actor) status() *messages.TorrentStatus {
	active, finished, seeding := a.times(time.Now())
	s := &messages.TorrentStatus{
		InfoHash:             a.ih,
		Name:                 a.info.Name,
		SavePath:             a.cfg.SavePath,
		State:                a.state,
		Paused:               a.paused,
		AutoManaged:          a.autoManaged,
		QueuePosition:        a.queuePos,
		Pieces:               a.have.Clone(),
		NumPieces:            a.have.Count(),
		TotalWanted:          a.info.TotalLength,
		TotalDownload:        a.counters.download,
		TotalUpload:          a.counters.upload,
		TotalPayloadDownload: a.counters.payloadDownload,
		TotalPayloadUpload:   a.counters.payloadUpload,
		TotalFailedBytes:     a.counters.failed,
		TotalRedundantBytes:  a.counters.redundant,
		IsFinished:           a.finished,
		IsSeeding:            a.finished && a.have.All(),
		SeedMode:             a.cfg.Flags&messages.FlagSeedMode != 0,
		AddedTime:            a.added,
		CompletedTime:        a.completed,
		BlockSize:            piecepicker.BlockSize,
		AllTimeUpload:        a.resume.prevUpload + a.counters.upload,
		AllTimeDownload:      a.resume.prevDownload + a.counters.download,
		ActiveTime:           active,
		FinishedTime:         finished,
		SeedingTime:          seeding,
		NeedSaveResume:       a.resume.needSave,
		UploadMode:           a.diskErr.uploadMode,
		CurrentTracker:       a.trk.summary.CurrentTracker,
		AnnounceInterval:     a.trk.summary.Interval,
		NumComplete:          a.trk.summary.NumComplete,
		NumIncomplete:        a.trk.summary.NumIncomplete,
		ListPeers:            a.plist.Len(),
		ListSeeds:            a.plist.Seeds(),
		ConnectCandidates:    a.plist.ConnectCandidates(time.Now(), a.finished),
		HasMetadata:          !a.meta.fetching(),
	}
	if t := a.trk.summary.NextAnnounce; !t.IsZero() && a.trk.announcing {
		s.NextAnnounce = max(time.Until(t), 0)
	}
	if a.errored != nil {
		s.Error = a.errored.Error()
	}
	for _, p := range a.have.Indices() {
		s.TotalDone += a.info.PieceSize(p)
	}
	s.TotalWanted, s.TotalWantedDone = a.wantedBytes()
	if s.TotalWanted > 0 {
		s.Progress = float64(s.TotalWantedDone) / float64(s.TotalWanted)
	}
	if a.state == messages.StateCheckingFiles && a.checking.total > 0 {
		s.CheckingProgress = float64(a.checking.done) / float64(a.checking.total)
		s.Progress = s.CheckingProgress
	}
	for _, p := range a.peers {
		if p.closed || p.leaving {
			continue
		}
		s.NumConnections++
		if !p.connected {
			continue
		}
		s.NumPeers++
		if p.stats.IsSeed {
			s.NumSeeds++
		}
		s.DownloadRate += p.stats.DownloadRate
		s.UploadRate += p.stats.UploadRate
		s.DownloadPayloadRate += p.stats.PayloadDownloadRate
		s.UploadPayloadRate += p.stats.PayloadUploadRate
	}
	s.ProgressPPM = int(s.Progress * 1e6)
	return s
}
