package sessionactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// A torrent added again while its removal is under way waits for the
// removed one's actor to end: that actor ends once the disk closed (or
// deleted) its files, and the disk keeps a torrent's jobs by info-hash,
// so a second store of the same torrent registered before then had the
// first one's jobs charged to it and lost its registration to the first
// one's close (the re-added torrent then hung in checking). libtorrent
// refuses such an add outright (duplicate_torrent while the old one is
// still in its list); we carry it out a moment later.

// removal is a torrent being removed and the adds of it held meanwhile.
type removal struct {
	pid  string // the removed torrent's actor
	adds []heldAdd
}

type heldAdd struct {
	m      *messages.AddTorrent
	sender *actor.PID // nil for AsyncAddTorrent
}

// readding is the session actor's re-add concern.
type readding struct{ *Actor }

// removing records that ih's torrent (actor pid) is being removed.
func (a readding) removing(ih messages.InfoHash, pid string) {
	if a.removals == nil {
		a.removals = map[messages.InfoHash]*removal{}
	}
	a.removals[ih] = &removal{pid: pid}
}

// hold keeps an add of ih while its removal is under way; false: none is.
func (a readding) hold(ctx actor.Context, ih messages.InfoHash, m *messages.AddTorrent) bool {
	r := a.removals[ih]
	if r == nil {
		return false
	}
	r.adds = append(r.adds, heldAdd{m: m, sender: ctx.Sender()})
	return true
}

// ended: the actor pid stopped; the adds held for its torrent go now, as
// if just asked.
func (a readding) ended(ctx actor.Context, pid string) {
	for ih, r := range a.removals {
		if r.pid != pid {
			continue
		}
		delete(a.removals, ih)
		for _, h := range r.adds {
			if h.sender != nil {
				ctx.RequestWithCustomSender(ctx.Self(), h.m, h.sender)
			} else {
				ctx.Send(ctx.Self(), h.m)
			}
		}
		return
	}
}
