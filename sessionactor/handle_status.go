package sessionactor

import (
	"slices"
	"time"

	"github.com/actorrent/actorrent/internal/slotclaim"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Bulk status (libtorrent's get_torrent_status, refresh_torrent_status and
// post_torrent_updates): one fan-out to the torrents, gathered by a
// short-lived child so that the session never waits. The session only
// lists whom to ask; the gatherer asks them all at once, collects the
// answers and replies (or posts the state_update) itself.

// gatherTimeout bounds a gather whose torrent never answers (a torrent
// actor that failed while asked): the answers so far go out.
const gatherTimeout = 10 * time.Second

// statusUpdates are the torrents subscribed to state updates that changed
// since the last state_update, in the order they reported.
type statusUpdates struct {
	changed []messages.InfoHash
}

// handleGetTorrentStatuses answers GetTorrentStatuses through a gatherer.
func (a *Actor) handleGetTorrentStatuses(ctx actor.Context, m *messages.GetTorrentStatuses) {
	ihs := m.InfoHashes
	if ihs == nil {
		ihs = a.order
	}
	g := a.newGather(ihs, m.Flags, false)
	g.replyTo, g.slots = ctx.Sender(), m.Slots
	ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return g }))
}

// handleStatusChanged records a subscribed torrent's change; the torrent
// sends one until its status went out in a state_update.
func (a *Actor) handleStatusChanged(m *messages.TorrentStatusChanged) {
	if a.torrents[m.InfoHash] != nil {
		a.updates.changed = append(a.updates.changed, m.InfoHash)
	}
}

// handlePostTorrentUpdates posts a state_update with the torrents that
// changed, asking them ForUpdate so that they report their next change.
func (a *Actor) handlePostTorrentUpdates(ctx actor.Context, m *messages.PostTorrentUpdates) {
	changed := a.updates.changed
	a.updates.changed = nil
	// A torrent removed and added again may be listed twice.
	seen := make(map[messages.InfoHash]bool, len(changed))
	changed = slices.DeleteFunc(changed, func(ih messages.InfoHash) bool {
		dup := seen[ih]
		seen[ih] = true
		return dup
	})
	g := a.newGather(changed, m.Flags, true)
	g.alerts = a.alerts
	ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return g }))
	ctx.Respond(&messages.Ack{})
}

// newGather lists the torrents of ihs still in the session with their
// seed ranks (the queue's).
func (a *Actor) newGather(ihs []messages.InfoHash, flags messages.StatusFlags, forUpdate bool) *gather {
	now := time.Now()
	g := &gather{flags: flags, forUpdate: forUpdate, asks: make([]gatherAsk, 0, len(ihs))}
	for _, ih := range ihs {
		if e := a.torrents[ih]; e != nil {
			g.asks = append(g.asks, gatherAsk{ih: ih, pid: e.pid, rank: a.q.SeedRank(now, ih)})
		}
	}
	return g
}

// gather is the child that asks every listed torrent for its status and
// replies with the answers in the order listed.
type gather struct {
	asks      []gatherAsk
	flags     messages.StatusFlags
	forUpdate bool
	replyTo   *actor.PID // GetTorrentStatuses' caller
	alerts    *actor.PID // or the alert actor, for a state_update

	got     []*messages.TorrentStatus // by ask index
	index   map[messages.InfoHash]int // info-hash to ask index
	pending int                       // asks not answered yet

	// slots, when set, are the caller's places the torrents write into
	// (GetTorrentStatuses.Slots), through claims; filled says which
	// answered (the caller reads the claims: a late one may still write).
	slots  func(n int) ([]*messages.TorrentStatus, *slotclaim.Claims)
	filled []bool
}

type gatherAsk struct {
	ih   messages.InfoHash
	pid  *actor.PID
	rank int
}

// Receive asks on start and finishes when every torrent answered (a
// stopped torrent's request comes back as a dead letter).
func (g *gather) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		if g.slots != nil {
			g.askIntoSlots(ctx)
			return
		}
		g.got = make([]*messages.TorrentStatus, len(g.asks))
		g.index = make(map[messages.InfoHash]int, len(g.asks))
		g.pending = len(g.asks)
		if g.pending == 0 {
			g.finish(ctx)
			return
		}
		// One request for all: the torrents only read it. All at once:
		// asking a window at a time was no faster.
		ask := &messages.GetTorrentStatus{Flags: g.flags, ForUpdate: g.forUpdate}
		for i, q := range g.asks {
			g.index[q.ih] = i
			ctx.Request(q.pid, ask)
		}
		ctx.SetReceiveTimeout(gatherTimeout)
	case *messages.TorrentStatus:
		// answers carry no sender: the info-hash says whose it is
		if i, ok := g.index[m.InfoHash]; ok && g.got[i] == nil {
			m.SeedRank = g.asks[i].rank // the reply is ours now
			g.got[i] = m
			g.answered(ctx)
		}
	case *messages.StatusFilled:
		if m.Index >= 0 && m.Index < len(g.filled) && !g.filled[m.Index] {
			g.filled[m.Index] = true
			g.answered(ctx)
		}
	case *actor.DeadLetterResponse:
		g.answered(ctx)
	case *actor.ReceiveTimeout:
		g.finish(ctx)
	case *actor.Stopping:
		// the session is closing: answer with what came so far
		if g.replyTo != nil || g.alerts != nil {
			g.reply(ctx)
		}
	}
}

// answered counts an answer.
func (g *gather) answered(ctx actor.Context) {
	g.pending--
	if g.pending == 0 {
		g.finish(ctx)
	}
}

// finish replies and stops.
func (g *gather) finish(ctx actor.Context) {
	g.reply(ctx)
	ctx.CancelReceiveTimeout()
	ctx.Stop(ctx.Self())
}

// askIntoSlots asks each torrent to write its status into the caller's
// slot: no status is allocated per torrent, nor copied on the way (10k
// statuses are 7 MiB a call; allocating them twice made the garbage
// collector run every few calls, and a call it ran in took 3 to 7 times
// as long).
func (g *gather) askIntoSlots(ctx actor.Context) {
	g.filled = make([]bool, len(g.asks))
	g.pending = len(g.asks)
	into, claims := g.slots(len(g.asks))
	g.slots = nil
	if g.pending == 0 {
		g.finish(ctx)
		return
	}
	for i, q := range g.asks {
		ctx.Request(q.pid, &messages.GetTorrentStatus{Flags: g.flags, SeedRank: q.rank, Into: into[i], Claims: claims, Index: i})
	}
	ctx.SetReceiveTimeout(gatherTimeout)
}

// reply sends the statuses gathered, in order, once.
func (g *gather) reply(ctx actor.Context) {
	if g.filled != nil {
		if g.replyTo != nil {
			ctx.Send(g.replyTo, &messages.TorrentStatusesReply{})
		}
		g.filled, g.asks, g.replyTo = nil, nil, nil
		return
	}
	out := make([]*messages.TorrentStatus, 0, len(g.got))
	for _, s := range g.got {
		if s != nil {
			out = append(out, s)
		}
	}
	g.got, g.index, g.asks = nil, nil, nil
	if g.alerts != nil {
		st := make([]messages.TorrentStatus, len(out))
		for i, s := range out {
			st[i] = *s
		}
		ctx.Send(g.alerts, &messages.PostAlert{Alert: &messages.StateUpdateAlert{AlertHeader: messages.Now(), Status: st}})
	} else if g.replyTo != nil {
		ctx.Send(g.replyTo, &messages.TorrentStatusesReply{Statuses: out})
	}
	// Whatever still refers to this gather (a torrent's cached sender
	// PID) must not keep the caller's future and its reply alive.
	g.replyTo, g.alerts = nil, nil
}
