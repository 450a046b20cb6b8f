// Package portmapactor is the session's port mapper: an actor that finds
// the gateways (UPnP IGD by SSDP, NAT-PMP at the default route's
// gateway), asks them to forward the session's listen port (TCP and UDP)
// and the user's mappings (AddPortMapping), renews each before its lease
// ends and retries failures with a backoff, as internal/portmap decides.
// Every request to a gateway runs on a goroutine of the actor; its result
// comes back as a message. It is supervised as supervisor.KindPortmap:
// when it fails it is restarted after a backoff, finds the gateways again
// and makes every mapping again under the same indices.
package portmapactor

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/portmap"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// Config sets up the port mapper.
type Config struct {
	// Initial is what the session asks for at the start (PortmapConfig
	// messages change it).
	Initial messages.PortmapConfig
	// Discoverer finds the gateways (nil: Default, the real network).
	Discoverer Discoverer
	// Policy is the lease and retry backoff (zero: portmap.DefaultPolicy).
	Policy   portmap.Policy
	Alerts   *actor.PID
	Sup      *supervisor.Supervision
	AlertsOn func(messages.Alert) bool // whether an alert is wanted (nil: all)
}

// shared is what outlives a restart: the wanted mappings and their
// indices, so that a restarted mapper makes the same ones again. Only
// the actor's incarnations touch it, one after the other.
type shared struct {
	Config
	conf   messages.PortmapConfig
	user   map[int]portmap.Mapping // AddPortMapping's
	listen map[portmap.Mapping]int // the listen ports' mappings, by index
	next   int                     // the next index to give
	extIP  [2]netip.Addr           // the external address each gateway reported last
}

// Actor is one incarnation of the port mapper.
type Actor struct {
	sh    *shared
	table *portmap.Table
	// per transport: the gateway found, a search under way, failed
	// searches in a row, and the generation that tells a goroutine's
	// result from before the transport was turned off.
	gw          [2]Gateway
	discovering [2]bool
	searchFails [2]int
	gen         [2]int
	ctx         context.Context // cancelled when the incarnation ends
	cancel      context.CancelFunc
	timer       *time.Timer
	wakeAt      time.Time
	retries     [2]*time.Timer // the next search after a failed one
}

// Messages of the actor to itself.
type (
	wake       struct{}
	rediscover struct {
		tr  portmap.Transport
		gen int
	}
	discovered struct {
		tr  portmap.Transport
		gen int
		gw  Gateway
		ext netip.Addr
		err error
	}
	done struct {
		gen int
		gw  Gateway
		act portmap.Action
		res portmap.Result
	}
)

// New returns the port mapper's props (not yet configured for fault
// injection: the spawner does it with supervisor.KindPortmap).
func New(cfg Config) *actor.Props {
	if cfg.Discoverer == nil {
		cfg.Discoverer = Default
	}
	if cfg.Policy == (portmap.Policy{}) {
		cfg.Policy = portmap.DefaultPolicy
	}
	sh := &shared{Config: cfg, conf: cfg.Initial, user: make(map[int]portmap.Mapping), listen: make(map[portmap.Mapping]int)}
	return actor.PropsFromProducer(func() actor.Actor { return &Actor{sh: sh} })
}

// Receive dispatches on the message type.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.handleStarted(ctx)
	case *messages.PortmapConfig:
		a.sh.conf = *m
		a.apply(ctx)
	case *messages.AddPortMapping:
		a.handleAdd(ctx, m)
	case *messages.DeletePortMapping:
		a.handleDelete(ctx, m)
	case *discovered:
		a.handleDiscovered(ctx, m)
	case *rediscover:
		if m.gen == a.gen[m.tr] {
			a.retries[m.tr] = nil
			a.apply(ctx)
		}
	case *done:
		a.handleDone(ctx, m)
	case *wake:
		a.wakeAt = time.Time{}
		a.run(ctx)
	case *messages.GoroutineFailed:
		panic(m) // a discovery or request goroutine failed: fail, be restarted, map again
	case *actor.Restarting, *actor.Stopping:
		a.close()
	}
}

// handleStarted makes the table from what is wanted (everything again
// after a restart) and starts the searches.
func (a *Actor) handleStarted(ctx actor.Context) {
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.table = portmap.New(a.sh.Policy)
	for i, m := range a.sh.user {
		a.table.Put(i, m)
	}
	for m, i := range a.sh.listen {
		a.table.Put(i, m)
	}
	a.apply(ctx)
}

func (a *Actor) handleAdd(ctx actor.Context, m *messages.AddPortMapping) {
	if m.Protocol != portmap.TCP && m.Protocol != portmap.UDP || m.Local == 0 {
		ctx.Respond(&messages.AddPortMappingReply{Index: -1,
			Err: fmt.Errorf("portmap: invalid mapping %v %d→%d", m.Protocol, m.External, m.Local)})
		return
	}
	i := a.sh.next
	a.sh.next++
	pm := portmap.Mapping{Protocol: m.Protocol, External: m.External, Local: m.Local}
	a.sh.user[i] = pm
	a.table.Put(i, pm)
	ctx.Respond(&messages.AddPortMappingReply{Index: i})
	a.apply(ctx)
}

func (a *Actor) handleDelete(ctx actor.Context, m *messages.DeletePortMapping) {
	if _, ok := a.sh.user[m.Index]; !ok {
		ctx.Respond(&messages.DeletePortMappingReply{Err: portmap.ErrNoMapping})
		return
	}
	delete(a.sh.user, m.Index)
	_ = a.table.Remove(m.Index)
	ctx.Respond(&messages.DeletePortMappingReply{})
	a.apply(ctx)
}

// apply brings the listen mappings and the transports in line with the
// config, then sends what is due.
func (a *Actor) apply(ctx actor.Context) {
	a.applyListen()
	for _, tr := range []portmap.Transport{portmap.NATPMP, portmap.UPnP} {
		on := a.sh.conf.NATPMP
		if tr == portmap.UPnP {
			on = a.sh.conf.UPnP
		}
		switch {
		case !on:
			a.turnOff(ctx, tr)
		// A gateway is searched for only when there is something to map:
		// a session listening on loopback alone (every test) never
		// multicasts nor asks its gateway anything.
		case a.gw[tr] == nil && !a.discovering[tr] && a.retries[tr] == nil && !a.table.Empty():
			a.discover(ctx, tr)
		}
	}
	a.run(ctx)
}

// applyListen wants the ports of the listen addresses a gateway can
// forward to (not loopback), TCP and UDP (uTP and the DHT share the UDP
// port).
func (a *Actor) applyListen() {
	want := make(map[portmap.Mapping]bool)
	for _, ap := range a.sh.conf.Listen {
		if ap.Addr().Unmap().IsLoopback() || ap.Port() == 0 {
			continue
		}
		for _, p := range []portmap.Protocol{portmap.TCP, portmap.UDP} {
			want[portmap.Mapping{Protocol: p, External: ap.Port(), Local: ap.Port()}] = true
		}
	}
	for m, i := range a.sh.listen {
		if !want[m] {
			delete(a.sh.listen, m)
			_ = a.table.Remove(i)
		}
	}
	for m := range want {
		if _, ok := a.sh.listen[m]; !ok {
			a.sh.listen[m] = a.sh.next
			a.table.Put(a.sh.next, m)
			a.sh.next++
		}
	}
}

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
		d := &discovered{tr: tr, gen: gen}
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
	if m.gen != a.gen[m.tr] {
		return // turned off since
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
			root.Send(self, &done{gen: gen, gw: gw, act: act, res: r})
		}
	}()
}

func (a *Actor) handleDone(ctx actor.Context, m *done) {
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

// arm sets the wake-up timer to at (zero: none), unless it is set for then.
func (a *Actor) arm(ctx actor.Context, at time.Time) {
	if at.IsZero() || at.Equal(a.wakeAt) {
		return
	}
	if a.timer != nil {
		a.timer.Stop() // a wake already sent is harmless: Due is idempotent
	}
	root, self := ctx.ActorSystem().Root, ctx.Self()
	a.wakeAt = at
	a.timer = time.AfterFunc(time.Until(at), func() { root.Send(self, &wake{}) })
}

func (a *Actor) post(ctx actor.Context, al messages.Alert) {
	if a.sh.AlertsOn == nil || a.sh.AlertsOn(al) {
		ctx.Send(a.sh.Alerts, &messages.PostAlert{Alert: al})
	}
}

// close ends the incarnation: its goroutines are cancelled and its
// timers stopped. The mappings are left on the gateways: a restarted
// mapper renews them, and those of a stopped session run out with their
// lease (libtorrent deletes them as it closes; a gateway that does not
// answer would hold the session's Close).
func (a *Actor) close() {
	if a.cancel != nil {
		a.cancel()
	}
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
	for i, t := range a.retries {
		if t != nil {
			t.Stop()
			a.retries[i] = nil
		}
	}
}
