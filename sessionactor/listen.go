package sessionactor

import (
	"errors"
	"net"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Limits of the accept path: a flood of half-open connections cannot tie
// up more than this many goroutines, each for at most handshakeTimeout.
const (
	maxPendingHandshakes = 64
	handshakeTimeout     = 10 * time.Second
)

// libtorrent's listen_failed_alert operations.
const (
	opParseAddr = 0
	opBind      = 2
)

// listen opens every listen interface and starts its accept loop.
func (a *Actor) listen(ctx actor.Context) {
	for _, iface := range a.cfg.ListenInterfaces {
		if _, _, err := net.SplitHostPort(iface); err != nil {
			a.post(ctx, &messages.ListenFailedAlert{AlertHeader: messages.Now(), Addr: iface, Err: err, Op: opParseAddr})
			continue
		}
		l, err := net.Listen("tcp", iface)
		if err != nil {
			a.post(ctx, &messages.ListenFailedAlert{AlertHeader: messages.Now(), Addr: iface, Err: err, Op: opBind})
			continue
		}
		a.listeners = append(a.listeners, l)
		a.addrs = append(a.addrs, l.Addr().String())
		a.post(ctx, &messages.ListenSucceededAlert{AlertHeader: messages.Now(), Addr: l.Addr().String()})
		go acceptLoop(l, ctx.ActorSystem().Root, ctx.Self())
	}
}

// acceptLoop reads each incoming handshake off the actor and hands the
// connection to the session, which routes it by info-hash.
func acceptLoop(l net.Listener, root *actor.RootContext, session *actor.PID) {
	sem := make(chan struct{}, maxPendingHandshakes)
	for {
		conn, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			time.Sleep(10 * time.Millisecond) // e.g. EMFILE: back off, don't spin
			continue
		}
		select {
		case sem <- struct{}{}:
		default:
			conn.Close() // too many handshakes in progress
			continue
		}
		go func() {
			defer func() { <-sem }()
			_ = conn.SetDeadline(time.Now().Add(handshakeTimeout))
			hs, err := wire.ReadHandshake(conn)
			if err != nil {
				conn.Close()
				return
			}
			_ = conn.SetDeadline(time.Time{})
			root.Send(session, &messages.IncomingConnection{Conn: conn, Handshake: hs})
		}()
	}
}

func (a *Actor) closeListeners() {
	for _, l := range a.listeners {
		l.Close()
	}
	a.listeners = nil
}

func (a *Actor) handleIncoming(ctx actor.Context, m *messages.IncomingConnection) {
	e := a.torrents[m.Handshake.InfoHash]
	if e == nil || a.closing {
		m.Conn.Close()
		return
	}
	ctx.Send(e.pid, &messages.AttachPeer{Conn: m.Conn, Handshake: m.Handshake})
}

func (a *Actor) post(ctx actor.Context, al messages.Alert) {
	ctx.Send(a.alerts, &messages.PostAlert{Alert: al})
}
