package peeractor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// Errors that end a connection.
var (
	ErrInfoHashMismatch = errors.New("peeractor: peer answered with another info-hash")
	ErrSelfConnection   = errors.New("peeractor: connected to ourselves")
	ErrInactive         = errors.New("peeractor: peer inactive for too long")
	// ErrReadFailed: a block the peer asked for could not be read.
	ErrReadFailed = errors.New("peeractor: a requested block could not be read")
)

// Messages from the connection goroutines to the actor.
type (
	connected struct {
		conn net.Conn
		hs   wire.Handshake
	}
	connectFailed struct{ err error }
	inbound       struct {
		msg  wire.Message
		size int // bytes on the wire
	}
	// inboundBatch is several messages read at once (inbound_batch.go).
	inboundBatch struct {
		msgs  []inbound
		bytes int
	}
	ioFailed struct {
		err error
		// protocol marks a framing violation by the peer (peer_error).
		protocol bool
	}
	blockSent struct{ n int }
	tick      struct{}
)

func (a *Actor) ourHandshake() wire.Handshake {
	hs := wire.Handshake{InfoHash: a.cfg.InfoHash, PeerID: a.cfg.PeerID}
	// BEP 10: we speak the extension protocol (ut_metadata).
	hs.Reserved[wire.ReservedExtensionByte] |= wire.ReservedExtensionBit
	// BEP 6: the fast extension (fast.go), on when the remote sets it too.
	hs.Reserved[wire.ReservedFastByte] |= wire.ReservedFastBit
	return hs
}

// handleStarted dials (outgoing) or answers the handshake (incoming) on a
// goroutine; the result comes back as connected or connectFailed.
func (a *Actor) handleStarted(ctx actor.Context) {
	self, root := ctx.Self(), ctx.ActorSystem().Root
	a.readerCtx, a.stopReader = context.WithCancel(context.Background())
	a.gauges.open(a.cfg.Conn != nil)
	if a.cfg.Conn != nil {
		a.addr = a.cfg.Conn.RemoteAddr().String()
		conn, hs := a.cfg.Conn, *a.cfg.Handshake
		a.conn = conn
		go func() {
			defer supervisor.Recover(root, self, supervisor.SiteHandshake)
			a.cfg.Supervision.Inject(supervisor.KindPeer, supervisor.SiteHandshake, string(supervisor.SiteHandshake))
			_ = conn.SetWriteDeadline(time.Now().Add(a.set.Seconds(settings.HandshakeTimeout)))
			if err := wire.WriteHandshake(conn, a.ourHandshake()); err != nil {
				root.Send(self, &connectFailed{err: fmt.Errorf("peeractor: send handshake: %w", err)})
				return
			}
			_ = conn.SetWriteDeadline(time.Time{})
			root.Send(self, &connected{conn: conn, hs: hs})
		}()
		return
	}
	a.addr = a.cfg.Addr
	a.cfg.Counters.Inc(stats.PeerConnectionAttempts)
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteDial)
		a.cfg.Supervision.Inject(supervisor.KindPeer, supervisor.SiteDial, string(supervisor.SiteDial))
		conn, hs, err := a.dial()
		if err != nil {
			root.Send(self, &connectFailed{err: err})
			return
		}
		root.Send(self, &connected{conn: conn, hs: hs})
	}()
}

// dial connects and exchanges handshakes, all bounded by timeouts.
func (a *Actor) dial() (net.Conn, wire.Handshake, error) {
	dial := a.set.Seconds(settings.PeerConnectTimeout)
	d := net.Dialer{Timeout: dial}
	ctx, cancel := context.WithTimeout(a.readerCtx, dial)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", a.cfg.Addr)
	ipv6 := err == nil && isIPv6(conn.RemoteAddr())
	a.ip.connect(a.cfg.Counters, err == nil, ipv6)
	if err != nil {
		return nil, wire.Handshake{}, fmt.Errorf("peeractor: connect %s: %w", a.cfg.Addr, err)
	}
	a.gauges.tcpConnected()
	_ = conn.SetDeadline(time.Now().Add(a.set.Seconds(settings.HandshakeTimeout)))
	if err := wire.WriteHandshake(conn, a.ourHandshake()); err != nil {
		conn.Close()
		return nil, wire.Handshake{}, fmt.Errorf("peeractor: send handshake: %w", err)
	}
	hs, err := wire.ReadHandshake(conn)
	if err != nil {
		conn.Close()
		return nil, wire.Handshake{}, fmt.Errorf("peeractor: read handshake: %w", err)
	}
	_ = conn.SetDeadline(time.Time{})
	if hs.InfoHash != a.cfg.InfoHash {
		conn.Close()
		return nil, wire.Handshake{}, ErrInfoHashMismatch
	}
	return conn, hs, nil
}

// startReader decodes messages on its own goroutine (reader_loop.go).
func (a *Actor) startReader(ctx actor.Context) {
	counters := a.cfg.Counters
	r := wire.NewReader(countingReader{a.bw.reader(a.readerCtx, a.conn), counters, &a.ip, isIPv6(a.conn.RemoteAddr())})
	r.SetAlloc(bufpool.Get)
	rl := &readLoop{a: a, r: r, self: ctx.Self(), root: ctx.ActorSystem().Root, counters: counters}
	rl.inject = a.cfg.Supervision.Wants(supervisor.KindPeer, supervisor.SiteReader)
	go rl.run()
}

func (a *Actor) isSelf(hs wire.Handshake) bool {
	return bytes.Equal(hs.PeerID[:], a.cfg.PeerID[:])
}

// wireName names a wire message for fault rules ("piece", "have", ...).
func wireName(m wire.Message) string {
	if m.KeepAlive {
		return "keep_alive"
	}
	return m.ID.String()
}
