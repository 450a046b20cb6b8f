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
	"github.com/actorrent/actorrent/actors"
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
	// closing: the session closes (a mapper restarted after a failure
	// while closing closes at once too).
	closing bool
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
	timer       actors.WakeTimer // the next thing due
	retries     [2]*time.Timer   // the next search after a failed one
	// closing: ClosePortmap came; the mapper stops once its deletes
	// are answered (closeWait of them left) or closeTimeout passed.
	closing   bool
	closeWait int
	// inflight counts the requests out whose results will come back
	// (done), whatever their generation.
	inflight int
}

// closeTimeout bounds how long a closing session waits for its gateways
// to answer the deletes.
const closeTimeout = 3 * time.Second

// Messages of the actor to itself.
type (
	wake       struct{}
	closeDone  struct{}
	rediscover struct {
		tr  portmap.Transport
		gen int
	}
	// discovered and done come from goroutines of one incarnation (from):
	// those of an incarnation before a restart are ignored.
	discovered struct {
		from *Actor
		tr   portmap.Transport
		gen  int
		gw   Gateway
		ext  netip.Addr
		err  error
	}
	done struct {
		from *Actor
		gen  int
		gw   Gateway
		act  portmap.Action
		res  portmap.Result
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
		if !a.closing {
			a.sh.conf = *m
			a.apply(ctx)
		}
	case *messages.ClosePortmap:
		a.handleClose(ctx)
	case *closeDone:
		ctx.Stop(ctx.Self())
	case *messages.AddPortMapping:
		a.handleAdd(ctx, m)
	case *messages.DeletePortMapping:
		a.handleDelete(ctx, m)
	case *discovered:
		if m.from == a {
			a.handleDiscovered(ctx, m)
		}
	case *rediscover:
		if m.gen == a.gen[m.tr] && !a.closing {
			a.retries[m.tr] = nil
			a.apply(ctx)
		}
	case *done:
		if m.from == a {
			a.handleDone(ctx, m)
		}
	case *wake:
		a.timer.Fired()
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
	if a.sh.closing {
		// Failed while closing: nothing found yet, nothing to delete.
		ctx.Stop(ctx.Self())
		return
	}
	a.apply(ctx)
}

func (a *Actor) handleAdd(ctx actor.Context, m *messages.AddPortMapping) {
	if a.closing {
		ctx.Respond(&messages.AddPortMappingReply{Index: -1, Err: errClosing})
		return
	}
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

// errClosing answers requests that come as the session closes.
var errClosing = errors.New("portmap: the session is closing")

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

// arm sets the wake-up timer to at (zero: none), unless it is set for
// then (a wake already sent is harmless: Due is idempotent).
func (a *Actor) arm(ctx actor.Context, at time.Time) { a.timer.Arm(ctx, at, &wake{}) }

func (a *Actor) post(ctx actor.Context, al messages.Alert) {
	if a.sh.AlertsOn == nil || a.sh.AlertsOn(al) {
		ctx.Send(a.sh.Alerts, &messages.PostAlert{Alert: al})
	}
}

// close ends the incarnation: its goroutines are cancelled and its
// timers stopped. The mappings are left on the gateways (a restarted
// mapper renews them; a closing session deleted them first,
// handleClose; those of a mapper stopped otherwise run out with their
// lease).
func (a *Actor) close() {
	if a.cancel != nil {
		a.cancel()
	}
	a.timer.Stop()
	for i, t := range a.retries {
		if t != nil {
			t.Stop()
			a.retries[i] = nil
		}
	}
}
