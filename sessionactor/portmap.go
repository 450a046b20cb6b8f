package sessionactor

import (
	"errors"
	"net/netip"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/portmapactor"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// errNoPortmap answers a port mapping request that comes as
// the session closes.
var errNoPortmap = errors.New("port mapping: the session is closing")

// portmapControl runs the port mapper (portmapactor): it lives as long as
// the session, is told the listen addresses and whether enable_upnp and
// enable_natpmp are on, and takes AddPortMapping/DeletePortMapping. It
// talks to no gateway while there is nothing to map: the listen port is
// mapped only when the session listens on an address that is not
// loopback (a gateway cannot forward to 127.0.0.1), so a session on
// loopback (every test) asks nothing of the network unless a mapping is
// added.
type portmapControl struct{ *Actor }

// start spawns the port mapper (once the session listens; it lives until
// the session closes).
func (a portmapControl) start(ctx actor.Context) {
	if a.portmap != nil || a.closing {
		return
	}
	set := a.set
	props := portmapactor.New(portmapactor.Config{
		Initial:    *a.config(),
		Discoverer: a.cfg.PortmapDiscoverer,
		Alerts:     a.alerts,
		Sup:        a.cfg.Supervision,
		AlertsOn:   func(al messages.Alert) bool { return messages.Wanted(al, set.Int(settings.AlertMask)) },
	})
	a.portmap = ctx.Spawn(a.cfg.Supervision.Configure(supervisor.KindPortmap, props))
}

// config is what the mapper is to map.
func (a portmapControl) config() *messages.PortmapConfig {
	c := &messages.PortmapConfig{UPnP: a.set.Bool(settings.EnableUPnP), NATPMP: a.set.Bool(settings.EnableNATPMP)}
	for _, s := range a.addrs {
		if ap, err := netip.ParseAddrPort(s); err == nil {
			c.Listen = append(c.Listen, ap)
		}
	}
	return c
}

// update tells the mapper the listen addresses and settings now.
func (a portmapControl) update(ctx actor.Context) {
	if a.portmap != nil {
		ctx.Send(a.portmap, a.config())
	}
}

// settingsChanged passes enable_upnp and enable_natpmp on, live.
func (a portmapControl) settingsChanged(ctx actor.Context, old *settings.Snapshot) {
	if old.Bool(settings.EnableUPnP) != a.set.Bool(settings.EnableUPnP) ||
		old.Bool(settings.EnableNATPMP) != a.set.Bool(settings.EnableNATPMP) {
		a.update(ctx)
	}
}

// request hands AddPortMapping and DeletePortMapping to the mapper, which
// answers the caller.
func (a portmapControl) request(ctx actor.Context, m any) {
	if a.portmap == nil || a.closing {
		switch m.(type) {
		case *messages.AddPortMapping:
			ctx.Respond(&messages.AddPortMappingReply{Index: -1, Err: errNoPortmap})
		default:
			ctx.Respond(&messages.DeletePortMappingReply{Err: errNoPortmap})
		}
		return
	}
	ctx.Forward(a.portmap)
}

// close has the mapper delete its mappings from the gateways and stop
// as the session closes; Close is answered once it has stopped.
func (a portmapControl) close(ctx actor.Context) {
	if a.portmap != nil {
		a.stopping[a.portmap.Id] = true
		ctx.Send(a.portmap, &messages.ClosePortmap{}) // a.portmap stays: its failures are still its kind's
	}
}

// isChild reports whether pid is the mapper.
func (a portmapControl) isChild(pid *actor.PID) bool {
	return a.portmap != nil && pid.Equal(a.portmap)
}
