package diskactor

import (
	"slices"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// active_checking: at most active_checking torrents read for a check at
// once; the others wait in line, in the order their checks arrived, and
// their torrents show queued_for_checking meanwhile. Checks that read
// nothing (seed mode, resume data trusted in full) never wait.

// enterCheckSlot lets t's check read: at once when it already holds a
// slot (a newer check superseding its own) or one is free; else it waits
// in line and its torrent hears so.
func (a *Actor) enterCheckSlot(ctx actor.Context, t *torrentStore) {
	switch t.checkPhase {
	case checkRunning:
		a.startCheckReads(ctx, t)
		return
	case checkIdle:
		if a.slotFree() {
			a.checksRunning++
			t.checkPhase = checkRunning
			a.startCheckReads(ctx, t)
			return
		}
		t.checkPhase = checkWaiting
		a.checkLine = append(a.checkLine, t.ih)
	}
	// Waiting (a check superseded while in line keeps its place).
	ctx.Send(t.owner, &messages.DiskCheckProgress{Gen: t.checkReqGen, Total: t.checkTotal, Queued: true})
}

// leaveCheckSlot ends t's claim: it leaves the line, or hands its slot to
// the first torrent waiting.
func (a *Actor) leaveCheckSlot(ctx actor.Context, t *torrentStore) {
	switch t.checkPhase {
	case checkWaiting:
		a.checkLine = slices.DeleteFunc(a.checkLine, func(ih messages.InfoHash) bool { return ih == t.ih })
	case checkRunning:
		a.checksRunning--
		defer a.admitWaiting(ctx)
	}
	t.checkPhase = checkIdle
}

// admitWaiting starts waiting checks while slots are free.
func (a *Actor) admitWaiting(ctx actor.Context) {
	for len(a.checkLine) > 0 && a.slotFree() {
		ih := a.checkLine[0]
		a.checkLine = a.checkLine[1:]
		t := a.torrents[ih]
		if t == nil || t.removing != nil || t.checkPhase != checkWaiting {
			continue
		}
		a.checksRunning++
		t.checkPhase = checkRunning
		a.startCheckReads(ctx, t)
	}
}

func (a *Actor) slotFree() bool {
	n := a.set.Int(settings.ActiveChecking)
	return n < 0 || a.checksRunning < max(n, 1)
}
