package peeractor

import (
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// alerting holds the methods that build the peer's alerts.
type alerting struct{ *Actor }

// The alerts a peer posts itself, straight to the alert actor: per block
// (block_downloading, block_finished, block_timeout, unwanted_block,
// invalid_request) and the performance warnings it detects. Each is built
// only when the session's alert_mask has its category, so a download
// under the default mask costs one mask test per block and nothing more.

// wants reports whether the session's alert mask has any of cats.
func (a alerting) wants(cats messages.AlertCategory) bool {
	return a.cfg.Alerts != nil && messages.AlertCategory(a.set.Int(settings.AlertMask))&cats != 0
}

func (a alerting) postAlert(ctx actor.Context, al messages.Alert) {
	ctx.Send(a.cfg.Alerts, &messages.PostAlert{Alert: al})
}

func (a alerting) peerHeader() messages.PeerAlertHeader {
	return messages.PeerHeader(a.cfg.InfoHash, a.addr, a.remote.PeerID)
}

// postBlocksDownloading: the requests of blocks went out to the peer.
func (a alerting) postBlocksDownloading(ctx actor.Context, blocks []messages.Block) {
	if !a.wants(messages.CategoryBlockProgress) {
		return
	}
	for _, b := range blocks {
		a.postAlert(ctx, &messages.BlockDownloadingAlert{PeerAlertHeader: a.peerHeader(),
			PieceIndex: b.Piece, BlockIndex: messages.BlockIndex(b.Begin)})
	}
}

// blockFinished is the block_finished alert the disk posts once it has
// cached the block (DiskWrite.Cached), nil when nobody wants it.
func (a alerting) blockFinished(b messages.Block) *messages.PostAlert {
	if !a.wants(messages.CategoryBlockProgress) {
		return nil
	}
	return &messages.PostAlert{Alert: &messages.BlockFinishedAlert{PeerAlertHeader: a.peerHeader(),
		PieceIndex: b.Piece, BlockIndex: messages.BlockIndex(b.Begin)}}
}

// postBlockTimeout: the request of b goes back to the picker because the
// peer is late (handle_requests.go).
func (a alerting) postBlockTimeout(ctx actor.Context, b messages.Block) {
	if a.wants(messages.CategoryBlockProgress | messages.CategoryPeer) {
		a.postAlert(ctx, &messages.BlockTimeoutAlert{PeerAlertHeader: a.peerHeader(),
			PieceIndex: b.Piece, BlockIndex: messages.BlockIndex(b.Begin)})
	}
}

// postUnwantedBlock: the peer sent a block we never asked for.
func (a alerting) postUnwantedBlock(ctx actor.Context, b messages.Block) {
	if a.wants(messages.CategoryPeer) {
		a.postAlert(ctx, &messages.UnwantedBlockAlert{PeerAlertHeader: a.peerHeader(),
			PieceIndex: b.Piece, BlockIndex: messages.BlockIndex(b.Begin)})
	}
}

// postInvalidRequest: the peer asked for a block we cannot serve.
func (a alerting) postInvalidRequest(ctx actor.Context, b messages.Block) {
	if a.wants(messages.CategoryPeer) {
		a.postAlert(ctx, &messages.InvalidRequestAlert{PeerAlertHeader: a.peerHeader(),
			Piece: b.Piece, Start: b.Begin, Length: b.Length})
	}
}

// warnDiskQueue runs when a block goes to the disk, as libtorrent checks
// after queueing a write: the session's write queue is at
// max_queued_disk_bytes (this peer's reader will wait for credit), or it
// holds more than half of cache_size. Each at most every 10 s for the
// whole session (actors.Credit.WarnDue).
func (a alerting) warnDiskQueue(ctx actor.Context) {
	c := a.cfg.Credit
	if c == nil || !a.wants(messages.CategoryPerformance) {
		return
	}
	now := time.Now()
	cacheBlocks := a.set.CacheBytes() / wire.BlockSize
	if cacheBlocks > 5 && c.Used()/wire.BlockSize > cacheBlocks/2 && c.WarnDue(actors.CreditOverHalfTheCache, now) {
		a.postPerformance(ctx, messages.TooHighDiskQueueLimit)
	}
	if a.set.Int(settings.MaxQueuedDiskBytes) > 0 && c.Exhausted() && c.WarnDue(actors.CreditExhausted, now) {
		a.postPerformance(ctx, messages.OutstandingDiskBufferLimitReached)
	}
}

// warnRequestLimit runs every tick after the pipeline is sized, as
// libtorrent's second tick does: the pipeline this peer's rate asks for is
// at its cap (max_out_request_queue, or the peer's reqq), so the cap holds
// the download back. Like libtorrent, once a second per such peer.
func (a alerting) warnRequestLimit(ctx actor.Context) {
	if a.rq.AtLimit(a.requestLimits()) && a.wants(messages.CategoryPerformance) {
		a.postPerformance(ctx, messages.OutstandingRequestLimitReached)
	}
}

func (a alerting) postPerformance(ctx actor.Context, w messages.PerformanceWarning) {
	a.postAlert(ctx, &messages.PerformanceAlert{TorrentAlertHeader: messages.TorrentHeader(a.cfg.InfoHash), WarningCode: w})
}
