package portmapactor

import (
	"context"
	"errors"
	"time"

	"github.com/actorrent/actorrent/internal/portmap"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// turnOff forgets a transport's gateway; what it has mapped is deleted,
// on goroutines whose results nobody waits for.
func (a *Actor) turnOff(ctx actor.Context, tr portmap.Transport) {
	if a.gw[tr] == nil && !a.discovering[tr] && a.retries[tr] == nil {
		return // off already
	}
	a.gen[tr]++
	a.discovering[tr], a.searchFails[tr] = false, 0
	if a.retries[tr] != nil {
		a.retries[tr].Stop()
		a.retries[tr] = nil
	}
	gw := a.gw[tr]
	a.gw[tr] = nil
	for _, d := range a.table.SetActive(tr, false) {
		a.request(ctx, gw, d, -1) // generation -1: no result is taken
	}
}

// discover searches for tr's gateway on a goroutine.
func (a *Actor) discover(ctx actor.Context, tr portmap.Transport) {
	a.discovering[tr] = true
	root, self, gen, c, sup := ctx.ActorSystem().Root, ctx.Self(), a.gen[tr], a.ctx, a.sh.Sup
	disc := a.sh.Discoverer
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteDiscover)
		sup.Inject(supervisor.KindPortmap, supervisor.SiteDiscover, tr.String())
		d := &discovered{from: a, tr: tr, gen: gen}
		dctx, cancel := context.WithTimeout(c, 10*time.Second)
		defer cancel()
		d.gw, d.err = disc.Discover(dctx, tr)
		if d.err == nil {
			// An IGD that cannot say its address still maps ports.
			d.ext, _ = d.gw.ExternalIP(dctx)
		}
		root.Send(self, d)
	}()
}

func (a *Actor) handleDiscovered(ctx actor.Context, m *discovered) {
	if m.gen != a.gen[m.tr] || a.closing {
		return // turned off since, or closing: nothing more is mapped
	}
	a.discovering[m.tr] = false
	if m.err != nil {
		if errors.Is(m.err, context.Canceled) {
			return
		}
		a.searchFails[m.tr]++
		a.post(ctx, &messages.PortmapErrorAlert{AlertHeader: messages.Now(), Mapping: -1, MapType: m.tr, Error: m.err})
		a.retryDiscover(ctx, m.tr)
		return
	}
	a.searchFails[m.tr] = 0
	a.gw[m.tr] = m.gw
	a.post(ctx, &messages.PortmapLogAlert{AlertHeader: messages.Now(), MapType: m.tr, Msg: "found " + m.gw.Describe()})
	if m.ext.IsValid() && m.ext != a.sh.extIP[m.tr] {
		// The gateway's word on our address (libtorrent's source_router):
		// posted as it is, not put to the peers' vote.
		a.sh.extIP[m.tr] = m.ext
		a.post(ctx, &messages.ExternalIPAlert{AlertHeader: messages.Now(), ExternalAddress: m.ext})
	}
	a.table.SetActive(m.tr, true)
	a.run(ctx)
}

// retryDiscover searches again after the policy's backoff.
func (a *Actor) retryDiscover(ctx actor.Context, tr portmap.Transport) {
	d := a.sh.Policy.RetryInitial
	for i := 1; i < a.searchFails[tr] && d < a.sh.Policy.RetryMax; i++ {
		d *= 2
	}
	d = min(d, a.sh.Policy.RetryMax)
	root, self, msg := ctx.ActorSystem().Root, ctx.Self(), &rediscover{tr: tr, gen: a.gen[tr]}
	a.retries[tr] = time.AfterFunc(d, func() { root.Send(self, msg) })
}
