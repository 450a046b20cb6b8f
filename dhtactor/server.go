package dhtactor

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/actorrent/actorrent/internal/dhtstate"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/anacrolix/dht/v2"
	"github.com/anacrolix/dht/v2/krpc"
	alog "github.com/anacrolix/log"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/asynkron/protoactor-go/actor"
	"golang.org/x/time/rate"
)

// resolveTimeout bounds the routers' name lookups.
const resolveTimeout = 15 * time.Second

// quiet is the library's logger: nothing (its errors reach us as
// results; DHTErrorAlert reports what matters).
var quiet = alog.NewLogger("dht").WithFilterLevel(alog.Disabled)

// start opens the socket and starts a server on it, with the node id and
// nodes known, bootstraps it on a goroutine and schedules the torrents.
// Failing to open the socket fails the actor: the supervisor's backoff is
// the retry.
func (a *Actor) start(ctx actor.Context) {
	sh, cfg := a.sh, a.sh.cfg
	pc, err := cfg.Socket()
	if err != nil {
		a.post(ctx, &messages.DHTErrorAlert{AlertHeader: messages.Now(), Error: err})
		panic(fmt.Errorf("dht: open socket: %w", err))
	}
	root, self, alerts := ctx.ActorSystem().Root, ctx.Self(), cfg.Alerts
	a.conn = newGuardedConn(pc, cfg.Probe.trafficOf(), func(err error) { root.Send(self, &connFailed{err: err}) })
	local := localIP(pc.LocalAddr())
	if sh.id == ([20]byte{}) {
		sh.id, _ = dhtstate.IDFor(cfg.State, local)
	}
	lim, burst := sendLimit(cfg.Params)
	a.limiter = rate.NewLimiter(lim, burst)
	a.routers = &routerList{}
	a.routers.setNodes(sh.nodes)
	sc := &dht.ServerConfig{
		NodeId:        sh.id,
		Conn:          a.conn,
		Passive:       cfg.Settings.ReadOnly,
		NoSecurity:    !cfg.Settings.EnforceNodeID,
		StartingNodes: a.routers.starting,
		PeerStore:     sh.store,
		Store:         sh.items,
		Exp:           2 * time.Hour,
		SendLimiter:   a.limiter,
		Logger:        quiet,
		DefaultWant:   []krpc.Want{krpc.WantNodes, krpc.WantNodes6},
		// Both hooks run on the library's read loop: they only send.
		OnAnnouncePeer: func(ih metainfo.Hash, ip net.IP, port int, _ bool) {
			addr, _ := netip.AddrFromSlice(ip)
			root.Send(alerts, &messages.PostAlert{Alert: &messages.DHTAnnounceAlert{
				AlertHeader: messages.Now(), IP: addr.Unmap(), Port: port, InfoHash: messages.InfoHash(ih)}})
		},
		OnQuery: func(q *krpc.Msg, _ net.Addr) bool {
			fixImmutablePut(q)
			if q.Q == "get_peers" && q.A != nil {
				root.Send(alerts, &messages.PostAlert{Alert: &messages.DHTGetPeersAlert{
					AlertHeader: messages.Now(), InfoHash: messages.InfoHash(q.A.InfoHash)}})
			}
			return true
		},
	}
	if d := cfg.QueryResendDelay; d > 0 {
		sc.QueryResendDelay = func() time.Duration { return d }
	}
	srv, err := dht.NewServer(sc)
	if err != nil {
		a.conn.Close()
		panic(fmt.Errorf("dht: start server: %w", err))
	}
	a.srv = srv
	sh.id = srv.ID()
	cfg.Probe.setServer(srv, a.conn, sh.store, sh.items, local)
	if u, ok := pc.LocalAddr().(*net.UDPAddr); ok {
		cfg.Port.Set(u.Port)
	}
	for _, n := range sh.nodes {
		addNode(srv, n)
	}
	a.lookups = map[messages.InfoHash]*actor.PID{}
	bctx, cancel := context.WithCancel(context.Background())
	a.ctx, a.cancel = bctx, cancel
	routers := append(append([]string(nil), cfg.Params.Routers...), cfg.Routers...)
	rl := a.routers
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteBootstrap)
		rl.resolve(bctx, routers, func(err error) { root.Send(self, &routerFailed{err: err}) })
		root.Send(self, &upkeep{})
	}()
	a.upkeep = time.AfterFunc(upkeepEvery, func() { root.Send(self, &upkeep{}) })
	now := time.Now()
	for ih := range sh.torrents {
		if !sh.sched.Has(ih) {
			sh.sched.Add(ih, now)
		}
	}
	a.runDue(ctx)
}

// stop closes the server (before its socket: the library's read loop
// must see itself closed first) and ends the goroutines; the running
// lookups are due again for the next incarnation.
func (a *Actor) stop() {
	if a.cancel != nil {
		a.cancel()
	}
	if a.timer != nil {
		a.timer.Stop()
	}
	if a.upkeep != nil {
		a.upkeep.Stop()
	}
	now := time.Now()
	for ih := range a.lookups {
		a.sh.sched.Done(ih, now, false, 0)
	}
	a.lookups = nil
	if a.srv == nil {
		return
	}
	var nodes []netip.AddrPort
	for _, n := range a.srv.Nodes() {
		nodes = append(nodes, n.Addr.ToNodeAddrPort().AddrPort)
	}
	if len(nodes) > 0 {
		a.sh.nodes = nodes
	}
	a.sh.cfg.Probe.clearServer(a.srv)
	a.sh.cfg.Port.Set(0)
	a.srv.Close() // marks it closed, then closes a.conn on a goroutine
	// Closed here too, so that the port is free when a restarted node
	// binds it again (Close is once only).
	a.conn.Close()
	a.srv = nil
}

// upkeepEvery is how often a node that could not bootstrap yet (no
// router, no node known) looks again: the first node of a DHT learns of
// others only when they ping it. (A check of its table; nothing is sent.)
const upkeepEvery = 10 * time.Second

// maybeBootstrap starts the bootstrap on a goroutine once the node has
// somewhere to start from. (The library's bootstrap leaks its traversal
// goroutine when it has no starting node, and its table maintainer
// bootstraps every minute: neither runs before there is a node.)
func (a *Actor) maybeBootstrap(ctx actor.Context) {
	if a.srv == nil || a.bootstrap != bootstrapNone {
		return
	}
	if nodes, err := a.srv.TraversalStartingNodes(); err != nil || len(nodes) == 0 {
		return
	}
	a.bootstrap = bootstrapRunning
	root, self, srv, bctx, sup := ctx.ActorSystem().Root, ctx.Self(), a.srv, a.ctx, a.sh.cfg.Supervision
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteBootstrap)
		sup.Inject(supervisor.KindDHT, supervisor.SiteBootstrap, string(supervisor.SiteBootstrap))
		_, err := srv.BootstrapContext(bctx)
		root.Send(self, &bootstrapDone{err: err, srv: srv})
	}()
}

// handleBootstrapDone posts dht_bootstrap and starts the table's upkeep
// (it ends when the server closes).
func (a *Actor) handleBootstrapDone(ctx actor.Context, m *bootstrapDone) {
	if a.srv == nil || m.srv != a.srv {
		return
	}
	if m.err != nil {
		a.bootstrap = bootstrapNone // tried again at the next upkeep
		return
	}
	a.bootstrap = bootstrapDoneState
	a.post(ctx, &messages.DHTBootstrapAlert{AlertHeader: messages.Now()})
	go a.srv.TableMaintainer()
	a.runDue(ctx) // lookups that found no node may go now
}

// handleUpkeep bootstraps a node that has not yet, and arms the next.
func (a *Actor) handleUpkeep(ctx actor.Context) {
	if a.srv == nil {
		return
	}
	a.runDue(ctx) // bootstraps if it can, then runs what is due
	if a.bootstrap == bootstrapNone {
		root, self := ctx.ActorSystem().Root, ctx.Self()
		if a.upkeep != nil {
			a.upkeep.Stop()
		}
		a.upkeep = time.AfterFunc(upkeepEvery, func() { root.Send(self, &upkeep{}) })
	}
}

// handleAddNode: add_dht_node pings the node (kept if it answers);
// add_dht_router adds a router, used while the table is empty. Names are
// resolved on a goroutine.
func (a *Actor) handleAddNode(ctx actor.Context, m *messages.AddDHTNode) {
	if m.Router {
		a.sh.cfg.Routers = append(a.sh.cfg.Routers, m.Addr)
		a.resolveRouters(ctx)
		return
	}
	srv, root, self := a.srv, ctx.ActorSystem().Root, ctx.Self()
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteBootstrap)
		c, cancel := context.WithTimeout(context.Background(), resolveTimeout)
		defer cancel()
		aps, err := resolve(c, m.Addr)
		if err != nil {
			root.Send(self, &routerFailed{err: err})
		}
		for _, ap := range aps {
			addNode(srv, ap)
		}
	}()
}

// handleLoadState takes a loaded state's nodes (its id is for the next
// start: a running node keeps its own).
func (a *Actor) handleLoadState(m *messages.LoadDHTState) {
	a.sh.cfg.State = m.State
	nodes := dhtstate.NodesOf(m.State)
	a.sh.nodes = append(a.sh.nodes, nodes...)
	a.routers.setNodes(a.sh.nodes)
	for _, n := range nodes {
		addNode(a.srv, n)
	}
}

// resolveRouters resolves the routers again (settings or
// add_dht_router changed them), on a goroutine.
func (a *Actor) resolveRouters(ctx actor.Context) {
	if a.routers == nil {
		return
	}
	routers := append(append([]string(nil), a.sh.cfg.Params.Routers...), a.sh.cfg.Routers...)
	root, self, rl := ctx.ActorSystem().Root, ctx.Self(), a.routers
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteBootstrap)
		c, cancel := context.WithTimeout(context.Background(), resolveTimeout)
		defer cancel()
		rl.resolve(c, routers, func(err error) { root.Send(self, &routerFailed{err: err}) })
	}()
}

// fixImmutablePut gives an immutable item's put (BEP 44: no key, no seq)
// the seq 0 the library insists on: without it the library answers
// libtorrent's immutable puts with "expected seq argument" and stores
// nothing.
func fixImmutablePut(q *krpc.Msg) {
	if q.Q == "put" && q.A != nil && q.A.Seq == nil && q.A.K == ([32]byte{}) {
		zero := int64(0)
		q.A.Seq = &zero
	}
}

// addNode pings a node (the server adds it when it answers).
func addNode(srv *dht.Server, ap netip.AddrPort) {
	if srv == nil {
		return
	}
	srv.AddNode(krpc.NodeInfo{Addr: krpc.NodeAddr{IP: ap.Addr().AsSlice(), Port: int(ap.Port())}})
}

func localIP(a net.Addr) netip.Addr {
	if u, ok := a.(*net.UDPAddr); ok {
		ip, _ := netip.AddrFromSlice(u.IP)
		return ip.Unmap()
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return ap.Addr()
}

// routerList is what the server starts a traversal from when its table
// is empty: the routers (resolved) and the nodes it knew. The server asks
// from its goroutines: it locks.
type routerList struct {
	mu      sync.Mutex
	routers []netip.AddrPort
	nodes   []netip.AddrPort
}

func (r *routerList) setNodes(nodes []netip.AddrPort) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nodes = append([]netip.AddrPort(nil), nodes...)
}

func (r *routerList) starting() ([]dht.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []dht.Addr
	for _, list := range [][]netip.AddrPort{r.routers, r.nodes} {
		for _, ap := range list {
			out = append(out, dht.NewAddr(net.UDPAddrFromAddrPort(ap)))
		}
	}
	return out, nil
}

// resolve resolves the routers (names by DNS, each failure reported) and
// makes them the list.
func (r *routerList) resolve(ctx context.Context, routers []string, failed func(error)) {
	var out []netip.AddrPort
	for _, hp := range routers {
		aps, err := resolve(ctx, hp)
		if err != nil {
			failed(err)
			continue
		}
		out = append(out, aps...)
	}
	r.mu.Lock()
	r.routers = out
	r.mu.Unlock()
}

// resolve turns host:port into addresses; a literal IP needs no lookup.
func resolve(ctx context.Context, hostport string) ([]netip.AddrPort, error) {
	if ap, err := netip.ParseAddrPort(hostport); err == nil {
		return []netip.AddrPort{ap}, nil
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	p, err := net.DefaultResolver.LookupPort(ctx, "udp", port)
	if err != nil {
		return nil, err
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	out := make([]netip.AddrPort, 0, len(ips))
	for _, ip := range ips {
		out = append(out, netip.AddrPortFrom(ip.Unmap(), uint16(p)))
	}
	return out, nil
}
