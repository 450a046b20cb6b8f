package diskactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// handleCheck starts a check of a torrent's files. A full check hashes
// every piece; with Have and Verify (resume data) the pieces in Have are
// recorded unread, those in Verify hashed, the rest are missing; in seed
// mode every piece is recorded. The pieces to hash go out as chunk jobs
// (planCheck) once the check holds an active_checking slot. A newer check
// supersedes the torrent's current one: that one's jobs still queued or
// running finish (the removal fence counts them) but their results are
// dropped, and the slot, if it held one, passes to the newer check.
func (a *Actor) handleCheck(ctx actor.Context, m *messages.DiskCheck) {
	t := a.torrents[m.InfoHash]
	if t == nil {
		ctx.Respond(&messages.DiskCheckReply{Gen: m.Gen, Err: errUnknownTorrent})
		return
	}
	if t.removing != nil {
		return // the torrent is going away; nobody waits for the answer
	}
	n := t.info.NumPieces()
	t.checkGen++
	t.checkReqGen = m.Gen
	t.checkHave = make([]bool, n)
	t.checkDone = 0
	t.checkErr = nil
	for p := range t.done {
		t.done[p] = false
	}
	t.emptyCreated = false
	var verify []bool // nil: every piece
	switch {
	case m.SeedMode:
		verify = make([]bool, n)
		for p := range n {
			t.done[p], t.checkHave[p] = true, true
		}
	case m.Have != nil || m.Verify != nil:
		verify = make([]bool, n)
		for p := range n {
			if p < len(m.Verify) && m.Verify[p] {
				verify[p] = true
			} else if p < len(m.Have) && m.Have[p] {
				t.done[p], t.checkHave[p] = true, true
			}
		}
	}
	t.checkChunks = planCheck(t.info, verify)
	t.checkNext = 0
	t.checkQueued = 0 // the superseded check's jobs no longer count
	t.checkTotal = 0
	for _, c := range t.checkChunks {
		t.checkTotal += c.count
	}
	t.checkPending = t.checkTotal
	if t.checkTotal == 0 {
		// Nothing to read: no slot needed, the answer is ready.
		a.leaveCheckSlot(ctx, t)
		a.sendCheckResult(ctx, t)
		return
	}
	a.enterCheckSlot(ctx, t)
}

// startCheckReads runs once the check holds a slot: the torrent hears the
// check started, and the first chunks go to the workers.
func (a *Actor) startCheckReads(ctx actor.Context, t *torrentStore) {
	ctx.Send(t.owner, &messages.DiskCheckProgress{Gen: t.checkReqGen, Checked: t.checkDone, Total: t.checkTotal})
	a.fillCheck(ctx, t)
}

// fillCheck keeps one chunk job per worker queued or running: enough to
// keep every worker hashing, while jobs of other torrents (a download's
// writes, a seed's reads) wait behind at most that many chunks.
func (a *Actor) fillCheck(ctx actor.Context, t *torrentStore) {
	for t.checkQueued < len(a.workers) && t.checkNext < len(t.checkChunks) {
		c := t.checkChunks[t.checkNext]
		t.checkNext++
		t.checkQueued++
		last := c.first + c.count - 1
		off := t.info.PieceOffset(c.first)
		a.submit(ctx, &checkJob{
			ih: t.ih, store: t.store, gen: t.checkGen, first: c.first,
			offset: off, size: t.info.PieceOffset(last) + t.info.PieceSize(last) - off,
			pieceLen: t.info.PieceLength, expected: t.info.Pieces[c.first : last+1],
			ok: make([]bool, c.count),
		})
	}
}

// finishCheck applies a chunk's results: a piece is had only if the
// worker saw its hash match.
func (a *Actor) finishCheck(ctx actor.Context, t *torrentStore, j *checkJob, d *jobDone) {
	if t == nil || j.gen != t.checkGen || t.removing != nil {
		return
	}
	t.checkQueued--
	for i, ok := range j.ok {
		if ok {
			t.checkHave[j.first+i] = true
			t.done[j.first+i] = true
		}
	}
	t.checkDone += len(j.ok)
	t.checkPending -= len(j.ok)
	if d.err != nil && t.checkErr == nil {
		// Reported once: the check goes on with the other pieces.
		t.checkErr = d.err
		a.postFileError(ctx, t, d)
	}
	if t.checkPending == 0 {
		// Answer first, so the torrent hears of its check before the
		// next one in line starts.
		a.sendCheckResult(ctx, t)
		a.leaveCheckSlot(ctx, t)
		return
	}
	ctx.Send(t.owner, &messages.DiskCheckProgress{Gen: t.checkReqGen, Checked: t.checkDone, Total: t.checkTotal})
	a.fillCheck(ctx, t)
}

// sendCheckResult answers the check. A complete torrent first gets its
// zero-length files (they have no pieces, so no download creates them).
func (a *Actor) sendCheckResult(ctx actor.Context, t *torrentStore) {
	reply := &messages.DiskCheckReply{Gen: t.checkReqGen, Have: t.checkHave}
	if t.allDone() {
		t.emptyCreated = true
		a.submit(ctx, &emptyFilesJob{ih: t.ih, store: t.store, then: reply})
		return
	}
	ctx.Send(t.owner, reply)
}
