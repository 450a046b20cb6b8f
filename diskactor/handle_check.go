package diskactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleCheck starts a full check: one job per piece, spread over the
// workers, with progress reported to the torrent as pieces finish.
func (a *Actor) handleCheck(ctx actor.Context, m *messages.DiskCheck) {
	t := a.torrents[m.InfoHash]
	if t == nil {
		ctx.Respond(&messages.DiskCheckReply{Err: errUnknownTorrent})
		return
	}
	n := t.info.NumPieces()
	t.checkGen++
	t.checkHave = make([]bool, n)
	t.checkDone = 0
	t.checkErr = nil
	for p := range t.done {
		t.done[p] = false
	}
	t.emptyCreated = false
	if m.SeedMode {
		for p := range t.done {
			t.done[p] = true
			t.checkHave[p] = true
		}
		t.checkPending = 0
		a.sendCheckResult(ctx, t)
		return
	}
	t.checkPending = n
	for p := range n {
		a.submit(ctx, &checkJob{
			ih: t.ih, store: t.store, gen: t.checkGen, piece: p,
			offset: t.info.PieceOffset(p), size: t.info.PieceSize(p), expected: t.info.Pieces[p],
		})
	}
}

func (a *Actor) finishCheck(ctx actor.Context, t *torrentStore, j *checkJob, d *jobDone) {
	if t == nil || j.gen != t.checkGen || t.removing != nil {
		return
	}
	t.checkPending--
	t.checkDone++
	if d.ok {
		t.checkHave[j.piece] = true
		t.done[j.piece] = true
	}
	if d.err != nil && t.checkErr == nil {
		t.checkErr = d.err
		a.postFileError(ctx, t, d)
	}
	if t.checkDone%16 == 0 && t.checkPending > 0 {
		ctx.Send(t.owner, &messages.DiskCheckProgress{Checked: t.checkDone, Total: len(t.checkHave)})
	}
	if t.checkPending == 0 {
		a.sendCheckResult(ctx, t)
	}
}

// sendCheckResult answers the check. A complete torrent first gets its
// zero-length files (they have no pieces, so no download creates them).
func (a *Actor) sendCheckResult(ctx actor.Context, t *torrentStore) {
	reply := &messages.DiskCheckReply{Have: t.checkHave}
	if t.allDone() {
		t.emptyCreated = true
		a.submit(ctx, &emptyFilesJob{ih: t.ih, store: t.store, then: reply})
		return
	}
	ctx.Send(t.owner, reply)
}
