package sessionactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// sessionStats are the session-wide byte totals.
type sessionStats struct {
	download, upload               int64
	payloadDownload, payloadUpload int64
	failed, redundant              int64
	trackerUp, trackerDown         int64
}

func (a *Actor) handleStatsUpdate(ctx actor.Context, m *messages.TorrentStatsUpdate) {
	s := &a.stats
	s.download += m.Download
	s.upload += m.Upload
	s.payloadDownload += m.PayloadDownload
	s.payloadUpload += m.PayloadUpload
	s.failed += m.FailedBytes
	s.redundant += m.RedundantBytes
	s.trackerUp += m.TrackerUpload
	s.trackerDown += m.TrackerDownload
	if e := a.torrents[m.InfoHash]; e != nil {
		e.last = m
		a.queueObserve(ctx, e, m)
	}
}

// sessionStatus sums the torrents' latest rates onto the totals.
func (a *Actor) sessionStatus() *messages.SessionStatus {
	s := a.stats
	r := &messages.SessionStatus{
		TotalDownload: s.download, TotalUpload: s.upload,
		TotalPayloadDownload: s.payloadDownload, TotalPayloadUpload: s.payloadUpload,
		TotalFailedBytes: s.failed, TotalRedundantBytes: s.redundant,
		NumTorrents:        len(a.torrents),
		ListenAddrs:        append([]string(nil), a.addrs...),
		TotalTrackerUpload: s.trackerUp, TotalTrackerDownload: s.trackerDown,
	}
	for _, e := range a.torrents {
		if e.last == nil {
			continue
		}
		r.DownloadRate += e.last.DownloadRate
		r.UploadRate += e.last.UploadRate
		r.PayloadDownloadRate += e.last.PayloadDownloadRate
		r.PayloadUploadRate += e.last.PayloadUploadRate
		r.NumPeers += e.last.NumPeers
		r.PeerlistSize += e.last.PeerlistSize
		// the last second's bytes are the rate
		r.TrackerUploadRate += int(e.last.TrackerUpload)
		r.TrackerDownloadRate += int(e.last.TrackerDownload)
	}
	return r
}
