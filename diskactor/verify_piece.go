package diskactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// verifyJob hashes one piece already on disk for seed mode's lazy
// verification (messages.DiskVerifyPiece): a check of one piece, run by
// the check's code (worker.check), answered to replyTo rather than
// counted in a check.
type verifyJob struct {
	checkJob
	replyTo *actor.PID
}

func (*verifyJob) FaultName() string { return "hash" }

// handleVerifyPiece queues the hash of one piece on disk. A torrent the
// disk does not know (or that is going away) gets a failed answer at
// once: nothing can be verified.
func (a *Actor) handleVerifyPiece(ctx actor.Context, m *messages.DiskVerifyPiece) {
	t := a.torrents[m.InfoHash]
	if t == nil || t.removing != nil || m.Piece < 0 || m.Piece >= t.info.NumPieces() {
		ctx.Send(m.ReplyTo, &messages.DiskVerifyPieceReply{Piece: m.Piece, Err: errUnknownTorrent})
		return
	}
	a.submit(ctx, &verifyJob{
		checkJob: checkJob{
			ih: t.ih, store: t.store, first: m.Piece, offset: t.info.PieceOffset(m.Piece),
			size: t.info.PieceSize(m.Piece), pieceLen: t.info.PieceLength,
			expected: t.info.Pieces[m.Piece : m.Piece+1], ok: make([]bool, 1),
		},
		replyTo: m.ReplyTo,
	})
}

// finishVerify answers a verifyJob. A read error (other than a missing
// file, which only fails the piece) is also the torrent's file error.
func finishVerify(ctx actor.Context, j *verifyJob, d *jobDone) {
	r := &messages.DiskVerifyPieceReply{Piece: j.first, OK: j.ok[0] && d.err == nil, Err: d.err, Path: d.path, Op: d.op}
	ctx.Send(j.replyTo, r)
}
