package dhtactor

import (
	"net"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// handleWanted schedules a torrent that wants peers (due at once), or
// unschedules one that no longer does and stops its lookup.
func (a *Actor) handleWanted(ctx actor.Context, m *messages.DHTTorrentWanted) {
	sh := a.sh
	if m.Want {
		sh.torrents[m.InfoHash] = m.Torrent
		sh.sched.Add(m.InfoHash, time.Now())
		a.runDue(ctx)
		return
	}
	delete(sh.torrents, m.InfoHash)
	sh.sched.Remove(m.InfoHash)
	if pid := a.lookups[m.InfoHash]; pid != nil {
		delete(a.lookups, m.InfoHash)
		ctx.Stop(pid)
	}
}

// runDue starts the lookups that are due, then arms the timer for the
// next one.
func (a *Actor) runDue(ctx actor.Context) {
	if a.srv == nil {
		return
	}
	// Lookups wait until the node has somewhere to start from (a router
	// resolved, a node known): one started before would fail at once and
	// wait its retry for nothing.
	if a.maybeBootstrap(ctx); a.bootstrap == bootstrapNone {
		return
	}
	now := time.Now()
	for _, ih := range a.sh.sched.Due(now) {
		a.startLookup(ctx, ih)
	}
	next, ok := a.sh.sched.Next(now)
	if !ok || (!a.wakeAt.IsZero() && !next.Before(a.wakeAt)) {
		return
	}
	if a.timer != nil {
		a.timer.Stop()
	}
	a.wakeAt = next
	root, self := ctx.ActorSystem().Root, ctx.Self()
	a.timer = time.AfterFunc(max(next.Sub(now), 0), func() { root.Send(self, &wake{}) })
}

// startLookup spawns a torrent's lookup.
func (a *Actor) startLookup(ctx actor.Context, ih messages.InfoHash) {
	cfg := a.sh.cfg
	port := cfg.ListenPort
	implied := false
	if u, ok := a.conn.LocalAddr().(*net.UDPAddr); ok && (port == 0 || u.Port == port) {
		port, implied = u.Port, true
	}
	var self netip.AddrPort
	if ip := localIP(a.conn.LocalAddr()); ip.IsValid() && !ip.IsUnspecified() {
		self = netip.AddrPortFrom(ip, uint16(port))
	}
	props := newLookup(lookupConfig{
		srv: a.srv, ih: ih, torrent: a.sh.torrents[ih], alerts: cfg.Alerts, sup: cfg.Supervision,
		port: port, implied: implied, self: self, store: a.sh.store, probe: cfg.Probe, parent: ctx.Self(),
	})
	a.lookups[ih] = ctx.Spawn(cfg.Supervision.Configure(supervisor.KindDHTLookup, props))
}

// handleLookupDone reschedules the torrent and starts what became due.
func (a *Actor) handleLookupDone(ctx actor.Context, m *lookupDone) {
	pid := a.lookups[m.ih]
	if m.srv != a.srv || pid == nil {
		return // a lookup of an earlier server, or of a torrent gone
	}
	delete(a.lookups, m.ih)
	ctx.Stop(pid)
	a.sh.sched.Done(m.ih, time.Now(), m.ok, m.peers)
	a.maybeBootstrap(ctx)
	a.runDue(ctx)
}

// lookupTerminated: a lookup stopped without saying it was done (it
// failed): it counts as one that reached nobody.
func (a *Actor) lookupTerminated(ctx actor.Context, pid *actor.PID) {
	for ih, p := range a.lookups {
		if p.Equal(pid) {
			a.handleLookupDone(ctx, &lookupDone{ih: ih, srv: a.srv})
			return
		}
	}
}
