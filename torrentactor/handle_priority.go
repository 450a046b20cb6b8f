package torrentactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// priorities are the file and piece priorities: what the user set, what the picker and the disk
// are told, and the bytes wanted. A view of the actor, not a part of it: the state stays in the
// actor (1000 of its size class's 1024 bytes), the type names the concern's methods.
type priorities struct{ *Actor }

// Priorities: 0 (skip) to 7, default 1, as libtorrent. A file's priority
// sets the priority of its pieces (a piece takes the highest of the files
// it overlaps); a piece priority set directly wins until the next file
// priority change. A file of priority 0 is not created.

const (
	defaultPriority = 1
	topPriority     = 7
)

func clampPriority(p int) int { return min(max(p, 0), topPriority) }

// initPriorities sets up the file priorities (params, else resume data).
func (a priorities) initPriorities(fromParams, fromResume []int) {
	n := len(a.info.Files)
	a.filePrio = make([]int, n)
	for i := range a.filePrio {
		a.filePrio[i] = defaultPriority
	}
	src := fromParams
	if src == nil {
		src = fromResume
	}
	for i, p := range src {
		if i < n {
			a.filePrio[i] = clampPriority(p)
		}
	}
}

// filePrioritiesForDisk is nil when every file is wanted.
func (a priorities) filePrioritiesForDisk() []int {
	for _, p := range a.filePrio {
		if p == 0 {
			return a.filePrio
		}
	}
	return nil
}

// piecePriorities derives the piece priorities from the file priorities.
func (a priorities) piecePriorities() []int {
	np := a.info.NumPieces()
	out := make([]int, np)
	pl := a.info.PieceLength
	var off int64
	for i, f := range a.info.Files {
		start := off
		off += f.Length
		if f.Pad || f.Length == 0 {
			continue
		}
		for p := int(start / pl); p <= int((off-1)/pl) && p < np; p++ {
			out[p] = max(out[p], a.filePrio[i])
		}
	}
	return out
}

// applyPiecePriorities gives the picker the priorities and updates the
// torrent's finished state and the peers' interest.
func (a priorities) applyPiecePriorities(ctx actor.Context, prios []int) {
	if a.picker == nil {
		return
	}
	prios = sharing{a.Actor}.mask(prios) // share mode narrows the user's
	for p, prio := range prios {
		a.picker.SetPiecePriority(p, prio)
	}
	a.resume.needSave = true
	switch {
	case a.picker.IsComplete() && !a.life.finished:
		a.finish(ctx)
	case !a.picker.IsComplete() && a.life.finished:
		a.change(ctx, event{kind: evUnfinished})
	}
	for p := range a.peers.all() {
		if !p.closed && p.connected {
			a.updateInterest(ctx, p)
		}
	}
}

func (a priorities) handleSetFilePriorities(ctx actor.Context, m *messages.SetFilePriorities) {
	if a.life.removing {
		return
	}
	changed := false
	set := func(i, p int) {
		if i >= 0 && i < len(a.filePrio) && a.filePrio[i] != clampPriority(p) {
			a.filePrio[i] = clampPriority(p)
			changed = true
		}
	}
	if m.Priorities != nil {
		for i, p := range m.Priorities {
			set(i, p)
		}
	} else {
		set(m.Index, m.Priority)
	}
	if !changed {
		return
	}
	a.ensureStorage(ctx)
	ctx.Request(a.cfg.Disk, &messages.DiskSetFilePriorities{InfoHash: a.ih, Priorities: append([]int(nil), a.filePrio...)})
	a.applyPiecePriorities(ctx, a.piecePriorities())
}

func (a priorities) handleSetPiecePriorities(ctx actor.Context, m *messages.SetPiecePriorities) {
	if a.life.removing || a.picker == nil {
		return
	}
	prios := a.currentPiecePriorities()
	if m.Priorities != nil {
		for i, p := range m.Priorities {
			if i < len(prios) {
				prios[i] = clampPriority(p)
			}
		}
	} else if m.Index >= 0 && m.Index < len(prios) {
		prios[m.Index] = clampPriority(m.Priority)
	}
	a.applyPiecePriorities(ctx, prios)
}

// currentPiecePriorities are the picker's (derived ones before the check).
func (a priorities) currentPiecePriorities() []int {
	if a.picker == nil {
		return a.piecePriorities()
	}
	if u := (sharing{a.Actor}).userPriorities(); u != nil {
		return u // the picker holds share mode's
	}
	out := make([]int, a.info.NumPieces())
	for p := range out {
		out[p] = a.picker.PiecePriority(p)
	}
	return out
}

func (a priorities) handleGetPriorities(ctx actor.Context) {
	ctx.Respond(&messages.PrioritiesReply{Files: append([]int(nil), a.filePrio...), Pieces: a.currentPiecePriorities()})
}

// handleFilePrioritiesSet reports a storage that could not take the
// priorities (for example a part file it could not write).
func (a priorities) handleFilePrioritiesSet(ctx actor.Context, m *messages.DiskSetFilePrioritiesReply) {
	if m.Err != nil {
		a.post(ctx, &messages.FileErrorAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Operation: "priority", Error: m.Err})
	}
}

// wantedBytes are the bytes of the pieces the torrent wants, and of those
// it has (total_wanted, total_wanted_done).
func (a priorities) wantedBytes() (wanted, done int64) {
	if a.picker == nil {
		for p, prio := range a.piecePriorities() {
			if prio > 0 {
				wanted += a.info.PieceSize(p)
			}
		}
		return wanted, 0
	}
	for p := range a.info.NumPieces() {
		if a.picker.PiecePriority(p) > 0 {
			wanted += a.info.PieceSize(p)
			if a.have.Has(p) {
				done += a.info.PieceSize(p)
			}
		}
	}
	return wanted, done
}
