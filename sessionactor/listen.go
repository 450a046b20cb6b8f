package sessionactor

import (
	"net"
	"strconv"
	"strings"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// libtorrent's listen_failed_alert operations.
const (
	opParseAddr = 0
	opBind      = 2
)

// listen opens every listen interface (here, in Started, so that the
// session's first answer already knows its addresses): its TCP listener
// and its uTP socket on the same port (utp_sockets.go), each given to a
// listener child that accepts on it.
func (a *Actor) listen(ctx actor.Context) {
	for _, iface := range splitList(a.set.Str(settings.ListenInterfaces)) {
		if _, _, err := net.SplitHostPort(iface); err != nil {
			a.post(ctx, &messages.ListenFailedAlert{AlertHeader: messages.Now(), Endpoint: iface, Error: err, Operation: opParseAddr})
			continue
		}
		l, sock, udpErr, err := listenPair(iface, socketConfig(a.set))
		if err != nil {
			a.post(ctx, &messages.ListenFailedAlert{AlertHeader: messages.Now(), Endpoint: iface, Error: err, Operation: opBind})
			continue
		}
		a.addrs = append(a.addrs, l.Addr().String())
		a.post(ctx, &messages.ListenSucceededAlert{AlertHeader: messages.Now(), Endpoint: l.Addr().String()})
		props := newListener(listenerConfig{socket: l, session: ctx.Self(), alerts: a.alerts, sup: a.cfg.Supervision, counters: a.counters})
		a.listeners = append(a.listeners, ctx.Spawn(a.cfg.Supervision.Configure(supervisor.KindListener, props)))
		if sock == nil {
			a.post(ctx, &messages.ListenFailedAlert{AlertHeader: messages.Now(), Endpoint: iface, Error: udpErr, Operation: opBind, SockType: sockUDP})
			continue
		}
		utpTransport{a}.opened(ctx, sock)
	}
}

// relisten closes the listen sockets and opens those listen_interfaces
// names now (settings applied at runtime).
func (a *Actor) relisten(ctx actor.Context, done func()) {
	old := a.listeners
	a.listeners, a.addrs = nil, nil
	a.incoming = false // session_status: reset with the listen port, as libtorrent
	a.stopEach(ctx, old, func() {
		a.utp.closeAll() // after their listeners: the connections on them end
		a.listen(ctx)
		if len(a.addrs) > 0 {
			if _, p, err := net.SplitHostPort(a.addrs[0]); err == nil {
				a.trk.port, _ = strconv.Atoi(p)
			}
		}
		done()
	})
}

// stopEach stops the actors one after the other (each closes its socket
// as it stops), then calls then.
func (a *Actor) stopEach(ctx actor.Context, pids []*actor.PID, then func()) {
	if len(pids) == 0 {
		then()
		return
	}
	ctx.ReenterAfter(ctx.StopFuture(pids[0]), func(any, error) { a.stopEach(ctx, pids[1:], then) })
}

// splitList splits a comma-separated setting.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// closeListeners stops accepting (Close, and the session's own Stopping).
// The uTP sockets stay open until the torrents have stopped (their peers'
// connections close as they end): maybeFinishClose closes them.
func (a *Actor) closeListeners(ctx actor.Context) {
	for _, pid := range a.listeners {
		ctx.Stop(pid)
	}
	a.listeners = nil
}

func (a *Actor) handleIncoming(ctx actor.Context, m *messages.IncomingConnection) {
	e := a.torrents[m.Handshake.InfoHash]
	if e == nil || a.closing || !(utpTransport{a}).incomingEnabled(m.UTP) {
		a.refuseIncoming(ctx, m)
		m.Conn.Close()
		return
	}
	ctx.Send(e.pid, &messages.AttachPeer{Conn: m.Conn, Handshake: m.Handshake, UTP: m.UTP})
}

func (a *Actor) post(ctx actor.Context, al messages.Alert) {
	if !messages.Wanted(al, a.set.Int(settings.AlertMask)) {
		return // the alert actor would drop it: no message for it
	}
	ctx.Send(a.alerts, &messages.PostAlert{Alert: al})
}
