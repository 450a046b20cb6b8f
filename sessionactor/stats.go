package sessionactor

import (
	"math"

	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// sessionStats are the session-wide byte totals.
type sessionStats struct {
	download, upload               int64
	payloadDownload, payloadUpload int64
	failed, redundant              int64
	trackerUp, trackerDown         int64
	ipUp, ipDown                   int64
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
	s.ipUp += ipOverhead(m.Upload)
	s.ipDown += ipOverhead(m.Download)
	if e := a.torrents[m.InfoHash]; e != nil {
		e.last = m
		a.queueObserve(ctx, e, m)
	}
}

// ipOverhead estimates the TCP/IP headers of n bytes of peer traffic:
// one IPv4 header per full-size packet, as libtorrent estimates it
// (a second's bytes, so the packets are taken as full).
func ipOverhead(n int64) int64 {
	if n <= 0 {
		return 0
	}
	return ratelimit.IPOverhead(n, false)
}

// sessionStatus sums the torrents' latest reports onto the totals.
func (a *Actor) sessionStatus() *messages.SessionStatus {
	s := a.stats
	r := &messages.SessionStatus{
		HasIncomingConnections: a.incoming,
		TotalDownload:          s.download, TotalUpload: s.upload,
		TotalPayloadDownload: s.payloadDownload, TotalPayloadUpload: s.payloadUpload,
		TotalFailedBytes: s.failed, TotalRedundantBytes: s.redundant,
		TotalIPOverheadUpload: s.ipUp, TotalIPOverheadDownload: s.ipDown,
		NumTorrents:        len(a.torrents),
		UTPStats:           a.utp.status(),
		ListenAddrs:        append([]string(nil), a.addrs...),
		TotalTrackerUpload: s.trackerUp, TotalTrackerDownload: s.trackerDown,
		AllowedUploadSlots: a.set.Int(settings.UnchokeSlotsLimit),
		NumPeers:           a.conns.Used(),
		DiskWriteQueue:     a.credit.Waiting(),
	}
	if r.AllowedUploadSlots < 0 {
		r.AllowedUploadSlots = math.MaxInt32 // libtorrent's unlimited
	}
	if a.bw != nil {
		r.UpBandwidthQueue = a.bw.Waiting()
		r.DownBandwidthQueue = r.UpBandwidthQueue
	}
	peers := 0
	for ih, e := range a.torrents {
		if a.q.Paused(ih) {
			r.NumPausedTorrents++
		}
		if e.last == nil { // a torrent idle since it was added reports nothing
			continue
		}
		r.DownloadRate += e.last.DownloadRate
		r.UploadRate += e.last.UploadRate
		r.PayloadDownloadRate += e.last.PayloadDownloadRate
		r.PayloadUploadRate += e.last.PayloadUploadRate
		peers += e.last.NumPeers
		r.NumUnchoked += e.last.NumUnchoked
		r.PeerlistSize += e.last.PeerlistSize
		// the last second's bytes are the rate
		r.TrackerUploadRate += int(e.last.TrackerUpload)
		r.TrackerDownloadRate += int(e.last.TrackerDownload)
		r.IPOverheadUploadRate += int(ipOverhead(e.last.Upload))
		r.IPOverheadDownloadRate += int(ipOverhead(e.last.Download))
	}
	// connections the slots do not see (a test's torrents without them)
	r.NumPeers = max(r.NumPeers, peers)
	dhtControl{a}.status(r)
	return r
}
