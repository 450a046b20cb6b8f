// Package dhtactor is the session's DHT node: an actor that owns one
// anacrolix/dht server, its socket and its goroutines, decides when each
// torrent looks up peers and announces itself (dhtstate.Schedule), and
// runs every lookup as a child actor. It is restarted with a backoff when
// it fails (supervisor.KindDHT): a new server on a new socket, with the
// node id, the nodes it knew and the announce schedule kept.
package dhtactor

import (
	"context"
	"github.com/actorrent/actorrent/actors"
	"net"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/internal/sessionstate"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/anacrolix/dht/v2"
	"github.com/asynkron/protoactor-go/actor"
	"golang.org/x/time/rate"
)

// Config sets up a DHT node.
type Config struct {
	// Socket opens the node's UDP socket; it is called at every start
	// (a restarted node opens a new one). The session's choice of it is
	// sessionactor/dht_socket.go.
	Socket func() (net.PacketConn, error)
	// ListenPort is the session's TCP listen port, what the node
	// announces; when the socket has that port the announce says
	// implied_port.
	ListenPort int
	Alerts     *actor.PID
	// Supervision: the plan's faults and the lookups' strategy.
	Supervision *supervisor.Supervision
	Params      dhtstate.Params
	Settings    dhtstate.Settings
	// State is a saved "dht state": the node id and nodes to start from.
	State *sessionstate.DHTState
	// Routers are add_dht_router's, with Params.Routers.
	Routers []string
	// Torrents want peers now (DHTTorrentWanted sent while no node ran).
	Torrents map[messages.InfoHash]*actor.PID
	// Probe is where the session reads the node's status.
	Probe *Probe
	// QueryResendDelay is the wait before a query is sent again (zero:
	// the library's 2 s); tests on loopback shorten it.
	QueryResendDelay time.Duration
	// Port is where the node says its UDP port while it runs (0 when it
	// stops): the peers send it in BEP 5's PORT message.
	Port *actors.DHTPort
}

// shared is what outlives the actor's incarnations: the configuration,
// the node id, the nodes last known, the schedule.
type shared struct {
	cfg      Config
	id       [20]byte
	nodes    []netip.AddrPort
	sched    *dhtstate.Schedule
	torrents map[messages.InfoHash]*actor.PID
	store    *dhtstate.PeerStore
	items    *dhtstate.ItemStore
}

// Actor is one incarnation of the DHT node.
type Actor struct {
	sh      *shared
	srv     *dht.Server
	conn    *guardedConn
	limiter *rate.Limiter
	routers *routerList
	lookups map[messages.InfoHash]*actor.PID
	wakeAt  time.Time
	timer   *time.Timer
	// upkeep retries the bootstrap until it ran; bootstrap says where it
	// is; ctx ends the incarnation's goroutines.
	upkeep    *time.Timer
	bootstrap bootstrapState
	ctx       context.Context
	cancel    context.CancelFunc
}

type bootstrapState uint8

const (
	bootstrapNone bootstrapState = iota
	bootstrapRunning
	bootstrapDoneState
)

// Internal messages.
type (
	wake          struct{}
	connFailed    struct{ err error }
	bootstrapDone struct {
		err error
		srv *dht.Server
	}
	upkeep struct{}
	// lookupDone: a lookup of server srv ended; ok: a node answered.
	lookupDone struct {
		ih    messages.InfoHash
		ok    bool
		peers int
		srv   *dht.Server
	}
	// routerFailed: a router's name did not resolve.
	routerFailed struct{ err error }
)

// New returns the DHT node's props.
func New(cfg Config) *actor.Props {
	if cfg.Probe == nil {
		cfg.Probe = NewProbe()
	}
	sh := &shared{
		cfg:      cfg,
		nodes:    dhtstate.NodesOf(cfg.State),
		sched:    dhtstate.NewSchedule(cfg.Params.AnnounceInterval, cfg.Params.ActiveLimit),
		torrents: map[messages.InfoHash]*actor.PID{},
		store:    dhtstate.NewPeerStore(cfg.Settings.MaxTorrents, cfg.Settings.MaxPeers),
		items:    dhtstate.NewItemStore(cfg.Settings.MaxDHTItems),
	}
	for ih, pid := range cfg.Torrents {
		sh.torrents[ih] = pid
	}
	return actor.PropsFromProducer(func() actor.Actor { return &Actor{sh: sh} },
		actor.WithSupervisor(cfg.Supervision.Strategy(supervisor.KindDHTLookup)))
}

// Receive dispatches on the message type.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.start(ctx)
	case *Ready:
		ctx.Respond(&Ready{})
	case *messages.DHTTorrentWanted:
		a.handleWanted(ctx, m)
	case *messages.ForceDHTAnnounce:
		if a.sh.sched.Force(m.InfoHash, time.Now()) {
			a.runDue(ctx)
		}
	case *wake:
		a.wakeAt = time.Time{}
		a.runDue(ctx)
	case *lookupDone:
		a.handleLookupDone(ctx, m)
	case *messages.AddDHTNode:
		a.handleAddNode(ctx, m)
	case *messages.LoadDHTState:
		a.handleLoadState(m)
	case *dhtParams:
		a.applyParams(ctx, m.p)
	case *messages.DHTGetItem, *messages.DHTPutItem:
		a.startItem(ctx, itemOp{req: m})
	case *messages.PostDHTStats:
		s := a.sh.cfg.Probe.Status(time.Now())
		a.post(ctx, &messages.DHTStatsAlert{AlertHeader: messages.Now(), ActiveRequests: s.ActiveRequests, RoutingTable: s.RoutingTable})
	case *upkeep:
		a.handleUpkeep(ctx)
	case *bootstrapDone:
		a.handleBootstrapDone(ctx, m)
	case *routerFailed:
		a.post(ctx, &messages.DHTErrorAlert{AlertHeader: messages.Now(), Error: m.err, Operation: messages.DHTOpHostnameLookup})
	case *connFailed:
		a.post(ctx, &messages.DHTErrorAlert{AlertHeader: messages.Now(), Error: m.err})
		panic(m.err) // restarted on a new socket
	case *actor.Terminated:
		a.lookupTerminated(ctx, m.Who)
	case *messages.MessageFailed:
		// A torrent's registration is state the schedule must not lose:
		// the restarted node takes it again (once: a failure on a
		// MessageFailed is not handed back). Requests are answered.
		if w, ok := m.Message.(*messages.DHTTorrentWanted); ok {
			a.handleWanted(ctx, w)
		}
	case *messages.GoroutineFailed:
		panic(m) // the bootstrap goroutine failed: start again
	case *actor.Restarting, *actor.Stopping:
		a.stop()
	}
}

// startItem spawns a BEP 44 get or put (nothing while the node has no
// server).
func (a *Actor) startItem(ctx actor.Context, op itemOp) {
	cfg := a.sh.cfg
	op.srv, op.alerts, op.sup = a.srv, cfg.Alerts, cfg.Supervision
	if a.srv == nil {
		return
	}
	ctx.Spawn(cfg.Supervision.Configure(supervisor.KindDHTLookup, newItemOp(op)))
}

// post sends an alert to the alert actor.
func (a *Actor) post(ctx actor.Context, al messages.Alert) {
	ctx.Send(a.sh.cfg.Alerts, &messages.PostAlert{Alert: al})
}

// Ready is answered (with a Ready) once the node has started: its socket
// is open and the probe reads it. StartDHT waits for it.
type Ready struct{}

// dhtParams carries new settings (SetParams).
type dhtParams struct{ p dhtstate.Params }

// SetParams is the message that gives a running node new settings.
func SetParams(p dhtstate.Params) any { return &dhtParams{p: p} }

// applyParams takes new settings: the send limit, the schedule's
// interval and limit, the routers.
func (a *Actor) applyParams(ctx actor.Context, p dhtstate.Params) {
	a.sh.cfg.Params = p
	if a.limiter != nil {
		lim, burst := sendLimit(p)
		a.limiter.SetLimit(lim)
		a.limiter.SetBurst(burst)
	}
	a.sh.sched.SetLimits(p.AnnounceInterval, p.ActiveLimit)
	a.resolveRouters(ctx)
	a.runDue(ctx)
}

func sendLimit(p dhtstate.Params) (rate.Limit, int) {
	if p.SendPackets <= 0 {
		return rate.Inf, 1
	}
	return rate.Limit(p.SendPackets), p.SendBurst
}
