package peeractor

import (
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// peerTotals are what peer_info shows beyond a second's report: bytes
// since the connection opened and the highest rates seen.
type peerTotals struct {
	download, upload int64
	downPeak, upPeak int
	lastRequest      time.Time
}

// noteTotals adds a report's bytes before they are reset (reportStats).
func (a *Actor) noteTotals() {
	s := &a.stats
	t := &a.totals
	t.download += s.download
	t.upload += s.upload
	t.downPeak = max(t.downPeak, s.downloadRate)
	t.upPeak = max(t.upPeak, s.uploadRate)
}

// handleGetPeerInfo answers with what the connection knows of itself
// (libtorrent's peer_info; the torrent adds source, failcount, hash
// failures and its choking).
func (a *Actor) handleGetPeerInfo(ctx actor.Context) {
	a.collectSent()
	now := time.Now()
	s := &a.stats
	pi := &messages.PeerInfo{
		IP: a.addr, PID: a.remote.PeerID, Client: a.ext.client,
		UpSpeed: s.uploadRate, DownSpeed: s.downloadRate,
		PayloadUpSpeed: s.payloadUploadRate, PayloadDownSpeed: s.payloadDownloadRate,
		TotalDownload: a.totals.download + s.download, TotalUpload: a.totals.upload + s.upload,
		DownloadRatePeak: max(a.totals.downPeak, s.downloadRate), UploadRatePeak: max(a.totals.upPeak, s.uploadRate),
		DownloadQueueLength: len(a.outstanding), TargetDLQueueLength: a.pipeline,
		UploadQueueLength: len(a.requests) + a.uploading,
		RequestTimeout:    int(a.set.Seconds(settings.RequestTimeout) / time.Second),
	}
	if pi.Client == "" {
		pi.Client = wire.ClientFromPeerID(a.remote.PeerID)
	}
	if a.conn != nil {
		pi.LocalEndpoint = a.conn.LocalAddr().String()
	}
	for b := range a.outstanding {
		pi.QueueBytes += b.Length
	}
	if !a.totals.lastRequest.IsZero() {
		pi.LastRequest = now.Sub(a.totals.lastRequest)
	}
	if last := a.lastReceive; !last.IsZero() || !a.lastSend.IsZero() {
		if a.lastSend.After(last) {
			last = a.lastSend
		}
		pi.LastActive = now.Sub(last)
	}
	if a.peerHave.Len() > 0 {
		pi.Pieces = a.peerHave.Clone()
		pi.NumPieces = a.peerHave.Count()
		pi.ProgressPPM = int(int64(pi.NumPieces) * 1_000_000 / int64(a.peerHave.Len()))
		pi.Progress = float32(pi.NumPieces) / float32(a.peerHave.Len())
	}
	f := messages.PeerFlags(0)
	set := func(on bool, bit messages.PeerFlags) {
		if on {
			f |= bit
		}
	}
	set(a.amInterested, messages.PeerInteresting)
	set(a.amChoking, messages.PeerChoked)
	set(a.peerInterested, messages.PeerRemoteInterested)
	set(a.peerChoking, messages.PeerRemoteChoked)
	set(a.remote.SupportsExtended(), messages.PeerSupportsExtensions)
	set(a.cfg.Conn == nil, messages.PeerOutgoingConnection)
	set(a.utp, messages.PeerUTPSocket)
	set(a.conn != nil && !a.connected, messages.PeerHandshake)
	set(a.conn == nil, messages.PeerConnecting)
	set(a.peerHave.Len() > 0 && a.peerHave.All(), messages.PeerSeed)
	set(a.rq.Snubbed(), messages.PeerSnubbed)
	set(a.ext.uploadOnly, messages.PeerUploadOnly)
	pi.Flags = f
	ctx.Respond(pi)
}
