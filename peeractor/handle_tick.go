package peeractor

import (
	"fmt"
	"time"

	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// statCounters are a peer's byte counters since its last report, and its
// smoothed rates.
type statCounters struct {
	download, upload               int64
	payloadDownload, payloadUpload int64
	redundant                      int64
	downloadRate, uploadRate       int
	payloadDownloadRate            int
	payloadUploadRate              int
}

// smooth is an exponential moving average over one-second samples.
func smooth(rate int, sample int64) int {
	return int((int64(rate)*2 + sample) / 3)
}

// reportStats sends the byte counts since the last report to the torrent
// and starts new ones. It runs every tick and once more when the
// connection closes, so the bytes of the last second are counted too.
func (a *Actor) reportStats(ctx actor.Context) {
	a.collectSent()
	s := &a.stats
	ctx.Send(ctx.Parent(), &messages.PeerStats{
		Key: a.cfg.Key, Download: s.download, Upload: s.upload,
		PayloadDownload: s.payloadDownload, PayloadUpload: s.payloadUpload,
		DownloadRate: s.downloadRate, UploadRate: s.uploadRate,
		PayloadDownloadRate: s.payloadDownloadRate, PayloadUploadRate: s.payloadUploadRate,
		IsSeed:  a.peerHave.Len() > 0 && a.peerHave.All(),
		Snubbed: a.rq.Snubbed(), NumHave: a.peerHave.Count(),
		UploadOnly: a.ext.uploadOnly, ShareMode: a.ext.shareMode,
		IPOverheadUpload: a.ip.up.Swap(0), IPOverheadDownload: a.ip.down.Swap(0),
	})
	a.noteTotals()
	s.download, s.upload, s.payloadDownload, s.payloadUpload, s.redundant = 0, 0, 0, 0, 0
}

// collectSent adds the blocks the writer put on the wire to the stats (a
// piece message is 13 bytes of header and its block).
func (a *Actor) collectSent() {
	if a.w == nil {
		return
	}
	n, blocks := a.w.sentPayload.Swap(0), a.w.sentBlocks.Swap(0)
	a.stats.payloadUpload += n
	a.stats.upload += n + 13*blocks
}

// handleTick reports stats, paces requests (snubbing, timeouts: see
// handle_requests.go), sends keep-alives and drops dead connections.
func (a *Actor) handleTick(ctx actor.Context) {
	if a.closing {
		return
	}
	now := time.Now()
	a.ext.requests = 0 // a new second of ut_metadata requests
	a.collectSent()
	s := &a.stats
	s.downloadRate = smooth(s.downloadRate, s.download)
	s.uploadRate = smooth(s.uploadRate, s.upload)
	s.payloadDownloadRate = smooth(s.payloadDownloadRate, s.payloadDownload)
	s.payloadUploadRate = smooth(s.payloadUploadRate, s.payloadUpload)
	a.tickRequests(ctx, now, s.payloadDownload) // before the report: it carries Snubbed
	if a.window.update(a.set, s.payloadUpload); len(a.requests) > 0 {
		a.serve(ctx) // the window may have grown
	}
	a.reportStats(ctx)
	(alerting{a}).warnRequestLimit(ctx)
	// mixed_mode_algorithm's count of the peers moving data, by transport
	a.act.Set(ratelimit.Download, len(a.outstanding) > 0)
	a.act.Set(ratelimit.Upload, len(a.requests)+a.uploading > 0)

	if idle := a.set.Seconds(settings.PeerTimeout); now.Sub(a.lastReceive) > idle {
		a.fail(ctx, fmt.Errorf("%w (%s)", ErrInactive, idle), false)
		return
	}
	if now.Sub(a.lastSend) > keepAliveInterval {
		a.w.control(wire.AppendKeepAlive)
		a.lastSend = now
	}
	a.requestMore(ctx)
}
