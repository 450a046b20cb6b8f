package sessionactor

import (
	"errors"
	"github.com/actorrent/actorrent/actors"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/actorrent/actorrent/dhtactor"
	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/internal/sessionstate"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// dhtControl is the session's side of the DHT: starting and stopping the
// dht actor (start_dht, stop_dht, enable_dht), what outlives it (the
// torrents that want peers, the dht_settings, the routers, the state to
// start from) and the requests that go to it.
type dhtControl struct{ *Actor }

// dhtSession is the session's DHT state.
type dhtSession struct {
	pid      *actor.PID // nil: not running
	probe    *dhtactor.Probe
	settings dhtstate.Settings
	routers  []string
	state    *sessionstate.DHTState
	torrents map[messages.InfoHash]*actor.PID
	// resendDelay is the dht actor's QueryResendDelay (tests).
	resendDelay time.Duration
	// stopping is the stop under way, if any.
	stopping *actor.Future
	// port is the node's UDP port while it runs, which every peer reads
	// (torrentShared: BEP 5's PORT message).
	port actors.DHTPort
}

// ErrDHTNotRunning: a DHT request came while the DHT does not run.
var ErrDHTNotRunning = errors.New("the DHT is not running")

// init makes the state and starts the DHT when enable_dht is on.
func (a dhtControl) init(ctx actor.Context) {
	a.dht = dhtSession{probe: dhtactor.NewProbe(), settings: dhtstate.DefaultSettings(),
		torrents: map[messages.InfoHash]*actor.PID{}, resendDelay: a.cfg.DHTQueryResendDelay}
	if a.set.Bool(settings.EnableDHT) {
		a.start(ctx)
	}
}

// receive handles the DHT's messages.
func (a dhtControl) receive(ctx actor.Context, msg any) {
	d := &a.dht
	switch m := msg.(type) {
	case *messages.StartDHT:
		caller := ctx.Sender()
		a.afterStop(ctx, func() {
			a.start(ctx)
			a.whenStarted(ctx, caller)
		})
	case *messages.StopDHT:
		a.stop(ctx, ctx.Sender(), nil)
	case *messages.IsDHTRunning:
		ctx.Respond(&messages.IsDHTRunningReply{Running: d.pid != nil})
	case *messages.DHTNodeFromPeer:
		if d.pid != nil {
			ctx.Send(d.pid, &messages.AddDHTNode{Addr: m.Addr.String()})
		}
	case *messages.AddDHTNode:
		if m.Router {
			d.routers = append(d.routers, m.Addr)
		}
		a.forward(ctx, m, m.Router)
	case *messages.SetDHTSettings:
		a.setSettings(ctx, m.Settings)
	case *messages.GetDHTSettings:
		ctx.Respond(&messages.GetDHTSettingsReply{Settings: d.settings})
	case *messages.GetDHTState:
		// A node spawned but not started yet (enable_dht at NewSession)
		// has its state once it has: asked after its Ready.
		caller := ctx.Sender()
		a.afterReady(ctx, func() { ctx.Send(caller, &messages.GetDHTStateReply{State: d.probe.State()}) })
	case *messages.LoadDHTState:
		d.state = m.State
		a.forward(ctx, m, true)
	case *messages.PostDHTStats:
		if d.pid == nil {
			a.post(ctx, &messages.DHTStatsAlert{AlertHeader: messages.Now()})
		} else {
			ctx.Send(d.pid, m)
		}
		ctx.Respond(&messages.DHTReply{})
	case *messages.DHTGetItem, *messages.DHTPutItem:
		a.forward(ctx, m, false)
	case *messages.ForceDHTAnnounce:
		if a.torrents[m.InfoHash] == nil {
			ctx.Respond(&messages.DHTReply{Err: messages.ErrTorrentNotFound})
			return
		}
		a.forward(ctx, m, false)
	case *messages.DHTTorrentWanted:
		if e := a.torrents[m.InfoHash]; m.Want && (e == nil || !e.pid.Equal(m.Torrent)) {
			return // a torrent removed since it asked
		}
		if m.Want {
			d.torrents[m.InfoHash] = m.Torrent
		} else {
			delete(d.torrents, m.InfoHash)
		}
		if d.pid != nil {
			ctx.Send(d.pid, m)
		}
		lsdControl{a.Actor}.wanted(ctx, m.InfoHash, m.Want) // LSD follows the same rule
	}
}

// forward sends a request to the running dht actor and answers the
// caller; without a DHT the request fails, unless kept says the session
// kept what it asked for (a router, a state) for the next start.
func (a dhtControl) forward(ctx actor.Context, m any, kept bool) {
	var err error
	switch {
	case a.dht.pid != nil:
		ctx.Send(a.dht.pid, m)
	case !kept:
		err = ErrDHTNotRunning
	}
	if ctx.Sender() != nil {
		ctx.Respond(&messages.DHTReply{Err: err})
	}
}

// start spawns the dht actor (nothing if it runs).
func (a dhtControl) start(ctx actor.Context) {
	d := &a.dht
	if d.pid != nil || a.closing {
		return
	}
	port := 0
	if len(a.addrs) > 0 {
		if _, p, err := net.SplitHostPort(a.addrs[0]); err == nil {
			port, _ = strconv.Atoi(p)
		}
	}
	torrents := make(map[messages.InfoHash]*actor.PID, len(d.torrents))
	for ih, pid := range d.torrents {
		torrents[ih] = pid
	}
	root, alerts := ctx.ActorSystem().Root, a.alerts
	props := dhtactor.New(dhtactor.Config{
		Socket: dhtSocket(a.utp, a.addrs, func(al messages.Alert) {
			root.Send(alerts, &messages.PostAlert{Alert: al})
		}),
		ListenPort: port, Alerts: a.alerts, Supervision: a.cfg.Supervision,
		Params: dhtstate.ParamsOf(a.set), Settings: d.settings, State: d.state,
		Routers: append([]string(nil), d.routers...), Torrents: torrents, Probe: d.probe,
		QueryResendDelay: d.resendDelay, Port: &d.port,
	})
	d.pid = ctx.Spawn(a.cfg.Supervision.Configure(supervisor.KindDHT, props))
}

// dhtStartWait bounds the wait for a starting node (one that fails to
// open its socket retries after its backoff).
const dhtStartWait = 5 * time.Second

// whenStarted answers caller once the dht actor has started (or failed
// to within dhtStartWait).
func (a dhtControl) whenStarted(ctx actor.Context, caller *actor.PID) {
	if caller == nil {
		return
	}
	if a.dht.pid == nil {
		ctx.Send(caller, &messages.DHTReply{Err: ErrDHTNotRunning})
		return
	}
	a.afterReady(ctx, func() { ctx.Send(caller, &messages.DHTReply{}) })
}

// afterReady runs f once the running dht actor has started (or within
// dhtStartWait), at once without one.
func (a dhtControl) afterReady(ctx actor.Context, f func()) {
	if a.dht.pid == nil {
		f()
		return
	}
	ctx.ReenterAfter(ctx.RequestFuture(a.dht.pid, &dhtactor.Ready{}, dhtStartWait), func(any, error) { f() })
}

// stop stops the dht actor, keeping its state for the next start, and
// answers caller (if any) and runs then once it has stopped.
func (a dhtControl) stop(ctx actor.Context, caller *actor.PID, then func()) {
	d := &a.dht
	done := func() {
		if caller != nil {
			ctx.Send(caller, &messages.DHTReply{})
		}
		if then != nil {
			then()
		}
	}
	if d.pid == nil {
		a.afterStop(ctx, done) // a stop under way: answered once it ended
		return
	}
	if st := d.probe.State(); st != nil {
		d.state = st
	}
	pid := d.pid
	d.pid = nil
	// StopFuture gives up after its own timeout: done runs either way.
	f := ctx.StopFuture(pid)
	d.stopping = f
	ctx.ReenterAfter(f, func(any, error) {
		if d.stopping == f {
			d.stopping = nil
		}
		done()
	})
}

// afterStop runs f once a stop under way has ended (at once without one):
// a node started while the last one still holds the port would have to
// take another.
func (a dhtControl) afterStop(ctx actor.Context, f func()) {
	if a.dht.stopping == nil {
		f()
		return
	}
	ctx.ReenterAfter(a.dht.stopping, func(any, error) { f() })
}

// setSettings takes new dht_settings; a running node whose honoured
// settings changed starts again with them.
func (a dhtControl) setSettings(ctx actor.Context, s dhtstate.Settings) {
	d := &a.dht
	old := d.settings
	d.settings = s
	restart := d.pid != nil && (old.ReadOnly != s.ReadOnly || old.EnforceNodeID != s.EnforceNodeID ||
		old.MaxTorrents != s.MaxTorrents || old.MaxPeers != s.MaxPeers)
	caller := ctx.Sender()
	if !restart {
		if caller != nil {
			ctx.Respond(&messages.DHTReply{})
		}
		return
	}
	a.stop(ctx, nil, func() {
		a.start(ctx)
		a.whenStarted(ctx, caller)
	})
}

// settingsChanged applies enable_dht and the DHT's session settings.
func (a dhtControl) settingsChanged(ctx actor.Context, old *settings.Snapshot) {
	s := a.set
	if on := s.Bool(settings.EnableDHT); on != old.Bool(settings.EnableDHT) {
		if on {
			a.afterStop(ctx, func() { a.start(ctx) })
		} else {
			a.stop(ctx, nil, nil)
		}
		return
	}
	if a.dht.pid == nil {
		return
	}
	p, q := dhtstate.ParamsOf(old), dhtstate.ParamsOf(s)
	if p.SendPackets != q.SendPackets || p.AnnounceInterval != q.AnnounceInterval ||
		p.ActiveLimit != q.ActiveLimit || !slices.Equal(p.Routers, q.Routers) {
		ctx.Send(a.dht.pid, dhtactor.SetParams(q))
	}
}

// listenChanged moves a running DHT to the new listen address and port
// (its socket and what it announces): it starts again there, its node id
// and nodes kept.
func (a dhtControl) listenChanged(ctx actor.Context) {
	if a.dht.pid == nil {
		return
	}
	a.stop(ctx, nil, func() { a.start(ctx) })
}

// forgetTorrent: a torrent that ended wants nothing more.
func (a dhtControl) forgetTorrent(ctx actor.Context, ih messages.InfoHash) {
	if _, ok := a.dht.torrents[ih]; !ok {
		return
	}
	delete(a.dht.torrents, ih)
	if a.dht.pid != nil {
		ctx.Send(a.dht.pid, &messages.DHTTorrentWanted{InfoHash: ih})
	}
}

// isChild reports whether pid is the dht actor.
func (a dhtControl) isChild(pid *actor.PID) bool { return a.dht.pid != nil && a.dht.pid.Equal(pid) }

// status fills session_status's DHT fields.
func (a dhtControl) status(r *messages.SessionStatus) {
	s := a.dht.probe.Status(time.Now())
	r.DHTNodes, r.DHTNodeCache, r.DHTTorrents, r.DHTGlobalNodes = s.Nodes, s.NodeCache, s.Torrents, s.GlobalNodes
	r.ActiveRequests, r.DHTRoutingTable, r.DHTTotalAllocations = s.ActiveRequests, s.RoutingTable, s.TotalAllocations
	r.DHTUploadRate, r.DHTDownloadRate = s.UploadRate, s.DownloadRate
	r.TotalDHTUpload, r.TotalDHTDownload = s.TotalUpload, s.TotalDownload
}
