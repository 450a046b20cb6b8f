package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleRequestBlocks answers a peer whose pipeline runs low with a batch
// of blocks from the picker.
func (a *Actor) handleRequestBlocks(ctx actor.Context, m *messages.RequestBlocks) {
	p := a.peers.get(m.Key)
	if p == nil || p.closed || a.life.finished || a.diskErr.uploadMode || !a.life.runs() {
		a.assign(ctx, m.Key, nil)
		return
	}
	var picked []piecepicker.Block
	if m.Allowed != nil { // choked: only the peer's allowed-fast pieces
		picked = a.picker.PickAllowed(piecepicker.PeerKey(m.Key), m.Allowed, m.Max)
	} else {
		picked = a.picker.PickFor(piecepicker.PeerKey(m.Key), m.Max, pickHints(a.set, p, a.info.PieceLength, a.picker.NumDeadlines()))
	}
	blocks := make([]messages.Block, len(picked))
	for i, b := range picked {
		blocks[i] = messages.Block(b)
	}
	a.assign(ctx, m.Key, blocks)
}

// assign sends a batch of blocks (maybe none) to a peer.
func (a *Actor) assign(ctx actor.Context, key messages.PeerKey, blocks []messages.Block) {
	if p := a.peers.get(key); p != nil {
		ctx.Send(p.pid, &messages.BlocksAssigned{Blocks: blocks})
	}
}

// handleBlocksReceived records arrivals; in end game the other holders of
// a block are told to cancel it.
func (a *Actor) handleBlocksReceived(ctx actor.Context, m *messages.BlocksReceived) {
	for _, b := range m.Blocks {
		ok, others, _ := a.picker.BlockReceived(piecepicker.PeerKey(m.Key), piecepicker.Block(b))
		if !ok {
			a.counters.redundant += int64(b.Length)
			a.counters.dRedundant += int64(b.Length)
			a.cfg.Counters.Add(stats.NetRecvRedundantBytes, int64(b.Length))
			continue
		}
		if sender := a.peers.get(m.Key); sender != nil {
			a.senders.note(b.Piece, sender.addr) // handle_trust.go
		}
		for _, o := range others {
			if p := a.peers.get(messages.PeerKey(o)); p != nil {
				ctx.Send(p.pid, &messages.CancelBlock{Block: b})
			}
		}
	}
	a.closeIdlePeers(ctx)
}

func (a *Actor) handleBlocksCancelled(ctx actor.Context, m *messages.BlocksCancelled) {
	for _, b := range m.Blocks {
		a.picker.Cancel(piecepicker.PeerKey(m.Key), piecepicker.Block(b))
	}
	a.closeIdlePeers(ctx)
}

// handlePieceHashed is where a piece becomes ours: only after the disk
// wrote it and its hash passed. A failed hash puts it back in the picker; a
// failed write is a file error and puts the torrent in the error state (no
// request loop on a broken disk).
func (a *Actor) handlePieceHashed(ctx actor.Context, m *messages.PieceHashed) {
	if m.Err != nil {
		diskErrors{a}.handleDiskError(ctx, m)
		return
	}
	if m.Piece < 0 {
		return
	}
	if !m.OK {
		a.picker.PieceFailed(m.Piece)
		a.blameSenders(ctx, m.Piece)
		size := a.info.PieceSize(m.Piece)
		a.counters.failed += size
		a.counters.dFailed += size
		a.cfg.Counters.Inc(stats.SesNumPieceFailed)
		a.cfg.Counters.Add(stats.NetRecvFailedBytes, size)
		a.post(ctx, &messages.HashFailedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), PieceIndex: m.Piece})
		return
	}
	a.cfg.Counters.Inc(stats.SesNumPiecePassed)
	if a.have.Has(m.Piece) {
		delete(a.senders, m.Piece)
		return
	}
	a.cfg.Counters.Inc(stats.SesNumHavePieces)
	a.picker.PiecePassed(m.Piece)
	a.creditSenders(m.Piece)
	fileProgress{a}.filesPiecePassed(ctx, m.Piece)
	a.have.Set(m.Piece)
	a.resume.needSave = true
	a.post(ctx, &messages.PieceFinishedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), PieceIndex: m.Piece})
	pieceAccessor{a}.piecePassed(ctx, m.Piece)
	for p := range a.peers.all() {
		if !p.closed {
			ctx.Send(p.pid, &messages.HavePiece{Piece: m.Piece})
		}
	}
	if a.have.All() {
		superSeeder{a}.sync(ctx) // a seed now: super seeding acts (super_seed.go)
	}
	sharing{a}.recalc(ctx) // the next piece, before the torrent may finish
	if a.picker.IsComplete() {
		a.finish(ctx)
		return
	}
	for p := range a.peers.all() {
		if p.interested && !p.closed {
			a.updateInterest(ctx, p)
		}
	}
}

// finish: every wanted piece is had.
func (a *Actor) finish(ctx actor.Context) {
	a.completed = time.Now()
	for p := range a.peers.all() {
		if p.closed {
			continue
		}
		if p.interested {
			p.interested = false
			ctx.Send(p.pid, &messages.SetInterested{Interested: false})
		}
		if p.stats.IsSeed && a.set.Bool(settings.CloseRedundantConnections) && !(sharing{a}).keepsSeeds() {
			ctx.Send(p.pid, &messages.Disconnect{})
		}
	}
	a.change(ctx, event{kind: evFinished, state: a.completeState()})
	a.post(ctx, &messages.TorrentFinishedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih)})
	if !(sharing{a}).on() || a.have.All() { // share mode finishes often: completed is a seed's
		trackers{a}.announceCompleted(ctx)
	}
}
