// Package lsdactor is the session's local service discovery (BEP 14): an
// actor that owns the multicast socket, announces the session's torrents
// on the schedule internal/lsd decides, and hands the peers it hears of to
// the session. It is supervised as supervisor.KindLSD: when it fails it is
// restarted after a backoff, opens its sockets again and asks the session
// for the torrents (LSDReady).
package lsdactor

import (
	"errors"
	"github.com/actorrent/actorrent/actors"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/lsd"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// Config sets up the LSD actor.
type Config struct {
	// Listen are the session's TCP listen addresses: LSD runs on their
	// interfaces and announces their ports.
	Listen []netip.AddrPort
	// Interval is local_service_announce_interval (0: a torrent a second,
	// as libtorrent).
	Interval time.Duration
	// Group is where announces go and are heard (zero: lsd.Group). Tests
	// give another port so that they hear no other process.
	Group    netip.AddrPort
	Session  *actor.PID
	Alerts   *actor.PID
	Sup      *supervisor.Supervision
	AlertsOn func(messages.Alert) bool // whether an alert is wanted (nil: all)
}

// Actor is the LSD actor; one incarnation at a time, each with its own
// sockets.
type Actor struct {
	cfg *shared
	// recv hears the group, send are one socket an interface address.
	recv     readConn
	send     []sender
	ifaces   []iface
	schedule *lsd.Schedule
	limiter  *lsd.Limiter
	timer    actors.WakeTimer // the next thing due
	lastErr  string           // the last send error posted (posted once until it changes)
}

// shared is what outlives a restart: the config (with the interval
// settings changed since) and our cookie, so that our own packets still
// in flight are known as ours. Only the actor's incarnations touch it,
// one after the other.
type shared struct {
	Config
	cookie uint32
	// open opens the sockets (openSockets; tests give in-memory ones).
	open func(group netip.AddrPort, listen []netip.AddrPort) (readConn, []sender, []iface, error)
}

// readConn and writeConn are what the actor uses of a UDP socket
// (*net.UDPConn is both).
type (
	readConn interface {
		ReadFromUDPAddrPort(b []byte) (int, netip.AddrPort, error)
		Close() error
	}
	writeConn interface {
		WriteToUDPAddrPort(b []byte, addr netip.AddrPort) (int, error)
		Close() error
	}
)

// sender is an interface address's socket with the port it announces.
type sender struct {
	conn writeConn
	port uint16
}

// Messages of the actor to itself: the schedule's wake-up, and an
// announce the reader heard.
type (
	wake  struct{}
	heard struct {
		from netip.AddrPort
		ann  lsd.Announce
	}
)

// New returns the LSD actor's props (not yet configured for fault
// injection: the spawner does it with supervisor.KindLSD).
func New(cfg Config) *actor.Props {
	if !cfg.Group.IsValid() {
		cfg.Group = lsd.Group
	}
	// libtorrent's cookie is 31 random bits, sent as hex.
	return props(&shared{Config: cfg, cookie: rand.Uint32() & 0x7fffffff, open: openSockets})
}

func props(sh *shared) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return &Actor{cfg: sh} })
}

// Receive dispatches on the message type.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.handleStarted(ctx)
	case *messages.LSDTorrents:
		a.handleTorrents(ctx, m)
	case *messages.SettingsChanged:
		// Kept in the shared config: a restarted actor announces at it too.
		a.cfg.Interval = time.Duration(m.Settings.Int(settings.LocalServiceAnnounceInterval)) * time.Second
		a.schedule.SetInterval(a.cfg.Interval)
	case *wake:
		a.timer.Fired()
		a.announce(ctx)
	case *heard:
		a.handleHeard(ctx, m)
	case *messages.GoroutineFailed:
		panic(m) // the reader failed: fail, be restarted, listen again
	case *actor.Restarting, *actor.Stopping:
		a.close()
	}
}

// handleStarted opens the sockets, starts the reader and asks the session
// for the torrents. When the sockets cannot be opened it posts lsd_error
// and fails: the supervisor's backoff is the retry.
func (a *Actor) handleStarted(ctx actor.Context) {
	a.schedule = lsd.NewSchedule(a.cfg.Interval)
	a.limiter = lsd.NewLimiter()
	var err error
	if a.recv, a.send, a.ifaces, err = a.cfg.open(a.cfg.Group, a.cfg.Listen); err != nil {
		a.close()
		a.post(ctx, &messages.LSDErrorAlert{AlertHeader: messages.Now(), Error: err})
		panic(err)
	}
	root, self := ctx.ActorSystem().Root, ctx.Self()
	go readLoop(a.recv, root, self, a.cfg.Sup)
	ctx.Request(a.cfg.Session, &messages.LSDReady{}) // the session answers the sender
}

// handleTorrents changes what is announced; new torrents are announced at
// once.
func (a *Actor) handleTorrents(ctx actor.Context, m *messages.LSDTorrents) {
	now := time.Now()
	for _, ih := range m.Remove {
		a.schedule.Remove(ih)
	}
	for _, ih := range m.Add {
		a.schedule.Add(ih, now)
	}
	a.announce(ctx)
}

// handleHeard passes on the peers of an announce that is not ours, comes
// from one of our networks, names a torrent we announce (so neither one
// we do not have nor a private one) and that the limiter takes.
func (a *Actor) handleHeard(ctx actor.Context, m *heard) {
	if m.ann.HasCookie && m.ann.Cookie == a.cfg.cookie {
		return // our own, looped back
	}
	from := m.from.Addr().Unmap()
	if !a.onOurNetwork(from) {
		return
	}
	peer := netip.AddrPortFrom(from, m.ann.Port)
	now := time.Now()
	for _, ih := range m.ann.InfoHashes {
		if a.schedule.Has(ih) && a.limiter.Accept(peer, ih, now) {
			ctx.Send(a.cfg.Session, &messages.LSDPeer{InfoHash: messages.InfoHash(ih), Addr: peer})
		}
	}
}

func (a *Actor) onOurNetwork(from netip.Addr) bool {
	for _, ifc := range a.ifaces {
		if ifc.net.Contains(from) {
			return true
		}
	}
	return false
}

// announce sends what the schedule says is due, as few packets as it
// takes, from every interface address, and arms the timer for the next.
func (a *Actor) announce(ctx actor.Context) {
	due, next := a.schedule.Due(time.Now())
	for len(due) > 0 {
		n := min(len(due), lsd.MaxInfoHashes)
		a.sendAll(ctx, due[:n])
		due = due[n:]
	}
	a.arm(ctx, next)
}

func (a *Actor) sendAll(ctx actor.Context, ihs []lsd.InfoHash) {
	for _, s := range a.send {
		pkt, err := lsd.Build(s.port, a.cfg.cookie, ihs...)
		if err == nil {
			_, err = s.conn.WriteToUDPAddrPort(pkt, a.cfg.Group)
		}
		if err != nil && err.Error() != a.lastErr {
			a.lastErr = err.Error()
			a.post(ctx, &messages.LSDErrorAlert{AlertHeader: messages.Now(), Error: err})
		}
	}
}

// arm sets the wake-up timer to at (zero: none), unless it is set for
// then (a wake already sent is harmless: Due is idempotent).
func (a *Actor) arm(ctx actor.Context, at time.Time) { a.timer.Arm(ctx, at, &wake{}) }

func (a *Actor) post(ctx actor.Context, al messages.Alert) {
	if a.cfg.AlertsOn == nil || a.cfg.AlertsOn(al) {
		ctx.Send(a.cfg.Alerts, &messages.PostAlert{Alert: al})
	}
}

// close closes the sockets (the reader ends) and stops the timer.
func (a *Actor) close() {
	a.timer.Stop()
	if a.recv != nil {
		a.recv.Close()
		a.recv = nil
	}
	for _, s := range a.send {
		s.conn.Close()
	}
	a.send = nil
}

// openSockets finds the interfaces and opens the group socket and the
// senders.
func openSockets(group netip.AddrPort, listen []netip.AddrPort) (readConn, []sender, []iface, error) {
	ifaces, err := interfacesFor(listen)
	if err != nil {
		return nil, nil, nil, err
	}
	recv, err := listenGroup(group, ifaces)
	if err != nil {
		return nil, nil, nil, err
	}
	var send []sender
	var errs []error
	for _, ifc := range ifaces {
		c, err := dialGroup(ifc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		send = append(send, sender{conn: c, port: ifc.port})
	}
	if len(send) == 0 {
		recv.Close()
		return nil, nil, nil, errors.Join(errs...)
	}
	return recv, send, ifaces, nil
}
