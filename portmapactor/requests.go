package portmapactor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/actorrent/actorrent/internal/portmap"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// run sends the requests that are due and arms the timer for the next.
func (a *Actor) run(ctx actor.Context) {
	acts, next := a.table.Due(time.Now())
	for _, act := range acts {
		a.request(ctx, a.gw[act.Transport], act, a.gen[act.Transport])
	}
	a.arm(ctx, next)
}

// request asks gw for act on a goroutine; the result comes back as done.
func (a *Actor) request(ctx actor.Context, gw Gateway, act portmap.Action, gen int) {
	root, self, sup := ctx.ActorSystem().Root, ctx.Self(), a.sh.Sup
	c := a.ctx
	if gen >= 0 {
		a.inflight++
	}
	if gen < 0 {
		// A delete as a transport is turned off or the mapper stops: it
		// must not be cancelled with the incarnation.
		c = context.Background()
	}
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteMap)
		sup.Inject(supervisor.KindPortmap, supervisor.SiteMap, act.Mapping.Protocol.String())
		rctx, cancel := context.WithTimeout(c, 10*time.Second)
		defer cancel()
		var r portmap.Result
		if act.Op == portmap.OpDelete {
			r.Err = gw.Delete(rctx, act.Mapping)
		} else {
			r.External, r.Lease, r.Err = gw.Add(rctx, act.Mapping, act.Lease)
		}
		if gen >= 0 {
			root.Send(self, &done{from: a, gen: gen, gw: gw, act: act, res: r})
		}
	}()
}

func (a *Actor) handleDone(ctx actor.Context, m *done) {
	a.inflight--
	if a.closing {
		if m.act.Op == portmap.OpAdd && m.res.Err == nil && m.gw != nil {
			a.request(ctx, m.gw, portmap.Action{Index: m.act.Index, Transport: m.act.Transport, Op: portmap.OpDelete, Mapping: m.act.Mapping}, 0)
			a.closeWait++
		}
		if a.closeWait--; a.closeWait == 0 {
			ctx.Stop(ctx.Self())
		}
		return
	}
	tr := m.act.Transport
	if m.gen != a.gen[tr] {
		// Made as the transport was turned off: undone, unless it is on
		// again (and then wants the mapping too).
		if off := a.gw[tr] == nil && !a.discovering[tr]; off && m.act.Op == portmap.OpAdd && m.res.Err == nil {
			a.request(ctx, m.gw, portmap.Action{Index: m.act.Index, Transport: tr, Op: portmap.OpDelete, Mapping: m.act.Mapping}, -1)
		}
		return
	}
	if errors.Is(m.res.Err, context.Canceled) {
		return
	}
	a.table.Done(m.act, m.res, time.Now())
	hdr := messages.Now()
	switch {
	case m.act.Op == portmap.OpDelete:
		a.post(ctx, &messages.PortmapLogAlert{AlertHeader: hdr, MapType: m.act.Transport,
			Msg: fmt.Sprintf("deleted mapping %d (%s %d→%d)", m.act.Index, m.act.Mapping.Protocol, m.act.Mapping.External, m.act.Mapping.Local)})
	case m.res.Err != nil:
		a.post(ctx, &messages.PortmapErrorAlert{AlertHeader: hdr, Mapping: m.act.Index, MapType: m.act.Transport, Error: m.res.Err})
	default:
		ext, _ := a.table.External(m.act.Index, m.act.Transport)
		a.post(ctx, &messages.PortmapAlert{AlertHeader: hdr, Mapping: m.act.Index, ExternalPort: int(ext),
			MapType: m.act.Transport, Protocol: m.act.Mapping.Protocol})
	}
	a.run(ctx)
}

// handleClose deletes every mapping from the gateways, as libtorrent
// does when its session closes, and stops the mapper once they answered
// (closeTimeout at most). Searches under way are forgotten.
func (a *Actor) handleClose(ctx actor.Context) {
	if a.closing {
		return
	}
	a.closing, a.sh.closing = true, true
	// Requests still out are waited for too: an add that succeeds now is
	// deleted when it answers (handleDone).
	a.closeWait = a.inflight
	for _, tr := range []portmap.Transport{portmap.NATPMP, portmap.UPnP} {
		gw := a.gw[tr]
		for _, d := range a.table.SetActive(tr, false) {
			a.request(ctx, gw, d, a.gen[tr])
			a.closeWait++
		}
	}
	if a.closeWait == 0 {
		ctx.Stop(ctx.Self())
		return
	}
	a.timer.Stop()
	a.timer.Arm(ctx, time.Now().Add(closeTimeout), &closeDone{})
}
