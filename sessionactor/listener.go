package sessionactor

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/utp"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// Limits of the accept path: a flood of half-open connections cannot tie
// up more than this many goroutines, each for at most handshakeTimeout.
const (
	maxPendingHandshakes = 64
	handshakeTimeout     = 10 * time.Second
)

// listenerConfig is one listen socket's actor.
type listenerConfig struct {
	// socket is the listening socket the session opened; bound, its
	// address, is where a restarted listener listens again (the port
	// peers and trackers know). Only the listener's incarnations touch
	// them, one after the other.
	socket net.Listener
	// utp, for a uTP listener, is the session's uTP socket: each
	// incarnation accepts on a view of it (Listener); socket and bound
	// are then unused. The session owns and closes the socket.
	utp      *utp.Socket
	bound    string
	session  *actor.PID
	alerts   *actor.PID
	sup      *supervisor.Supervision
	counters *stats.Counters
}

// listener owns one listen socket and its accept loop (a goroutine): each
// accepted connection comes to it (accepted), and it reads the handshake
// on a goroutine of its own, bounded in number, then hands the connection
// to the session. When it fails it is restarted (supervisor.KindListener)
// and listens again on the same address: a panicked accept loop never
// leaves the session deaf.
type listener struct {
	cfg    *listenerConfig
	socket net.Listener
	// handshakes being read now (at most maxPendingHandshakes)
	pending int
}

// accepted is a connection from the accept loop; handshakeDone is the end
// of one handshake goroutine.
type (
	accepted      struct{ conn net.Conn }
	handshakeDone struct{}
)

// newListener returns a listener's props. The config outlives the actor's
// incarnations: the first one takes the session's socket, later ones
// listen again on its address.
func newListener(cfg listenerConfig) *actor.Props {
	shared := &cfg
	return actor.PropsFromProducer(func() actor.Actor { return &listener{cfg: shared} })
}

func (l *listener) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		l.handleStarted(ctx)
	case *accepted:
		l.handleAccepted(ctx, m)
	case *handshakeDone:
		l.pending = max(l.pending-1, 0) // one of a failed incarnation may end here
	case *messages.MessageFailed:
		if a, ok := m.Message.(*accepted); ok {
			a.conn.Close() // the connection we failed on
		}
	case *messages.GoroutineFailed:
		panic(m) // the accept loop failed: fail, be restarted, listen again
	case *actor.Restarting, *actor.Stopping:
		if l.socket != nil {
			l.socket.Close() // ends the accept loop
			l.socket = nil
		}
	}
}

// handleStarted takes the session's socket, or (after a restart) listens
// again on its address, and starts accepting.
func (l *listener) handleStarted(ctx actor.Context) {
	if l.cfg.utp != nil {
		l.socket = l.cfg.utp.Listener()
	} else if l.cfg.socket != nil {
		l.socket, l.cfg.socket = l.cfg.socket, nil
	} else {
		addr := l.cfg.bound
		s, err := net.Listen("tcp", addr)
		if err != nil {
			ctx.Send(l.cfg.alerts, &messages.PostAlert{Alert: &messages.ListenFailedAlert{
				AlertHeader: messages.Now(), Endpoint: addr, Error: err, Operation: opBind}})
			// Failing again is how the supervisor's backoff retries.
			panic(fmt.Errorf("listen again on %s: %w", addr, err))
		}
		l.socket = s
		ctx.Send(l.cfg.alerts, &messages.PostAlert{Alert: &messages.ListenSucceededAlert{
			AlertHeader: messages.Now(), Endpoint: s.Addr().String()}})
	}
	l.cfg.bound = l.socket.Addr().String()
	go acceptLoop(l.socket, ctx.ActorSystem().Root, ctx.Self(), l.cfg.sup, l.cfg.alerts)
}

// handleAccepted reads the connection's handshake on a goroutine, unless
// too many are being read already (a flood of half-open connections).
func (l *listener) handleAccepted(ctx actor.Context, m *accepted) {
	if l.pending >= maxPendingHandshakes {
		m.conn.Close()
		return
	}
	l.pending++
	countIncoming(l.cfg.counters, m.conn.RemoteAddr())
	st, overUTP := socketTypeTCP, l.cfg.utp != nil
	if overUTP {
		st = socketTypeUTP
	}
	ctx.Send(l.cfg.alerts, &messages.PostAlert{Alert: &messages.IncomingConnectionAlert{
		AlertHeader: messages.Now(), Endpoint: m.conn.RemoteAddr().String(), SocketType: st}})
	root, self, session, sup := ctx.ActorSystem().Root, ctx.Self(), l.cfg.session, l.cfg.sup
	go func() {
		defer root.Send(self, &handshakeDone{})
		defer supervisor.Recover(root, self, supervisor.SiteHandshake)
		readHandshake(m.conn, overUTP, root, session, sup)
	}()
}

// acceptLoop hands every connection to the listener actor.
func acceptLoop(s net.Listener, root *actor.RootContext, self *actor.PID, sup *supervisor.Supervision, alerts *actor.PID) {
	defer supervisor.Recover(root, self, supervisor.SiteAccept)
	var files outOfFiles
	for {
		conn, err := s.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			files.warn(root, alerts, err, time.Now())
			time.Sleep(10 * time.Millisecond) // e.g. EMFILE: back off, don't spin
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					conn.Close() // an injected fault: the connection goes too
					panic(r)
				}
			}()
			sup.Inject(supervisor.KindListener, supervisor.SiteAccept, string(supervisor.SiteAccept))
		}()
		root.Send(self, &accepted{conn: conn})
	}
}

// readHandshake reads an incoming handshake, bounded by handshakeTimeout.
func readHandshake(conn net.Conn, overUTP bool, root *actor.RootContext, session *actor.PID, sup *supervisor.Supervision) {
	handed := false
	defer func() {
		if !handed {
			conn.Close() // also when an injected fault panics here
		}
	}()
	_ = conn.SetDeadline(time.Now().Add(handshakeTimeout))
	hs, err := wire.ReadHandshake(conn)
	if err != nil {
		return
	}
	sup.Inject(supervisor.KindListener, supervisor.SiteHandshake, string(supervisor.SiteHandshake))
	_ = conn.SetDeadline(time.Time{})
	handed = true
	root.Send(session, &messages.IncomingConnection{Conn: conn, Handshake: hs, UTP: overUTP})
}
