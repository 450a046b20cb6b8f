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
		utp  bool // conn is a uTP connection
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
	dhtPorting{a}.mark(&hs) // BEP 5, while the session runs a DHT node (dht_port.go)
	return hs
}

// handleStarted dials (outgoing) or answers the handshake (incoming) on a
// goroutine; the result comes back as connected or connectFailed.
func (a *Actor) handleStarted(ctx actor.Context) {
	self, root := ctx.Self(), ctx.ActorSystem().Root
	a.readerCtx, a.stopReader = context.WithCancel(context.Background())
	if a.cfg.Conn != nil {
		a.gauges.open(true, a.cfg.UTP)
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
			root.Send(self, &connected{conn: conn, hs: hs, utp: a.cfg.UTP})
		}()
		return
	}
	a.addr = a.cfg.Addr
	a.cfg.Counters.Inc(stats.PeerConnectionAttempts)
	// The dial goroutine reads this snapshot, not a.set, which the actor
	// replaces on SettingsChanged.
	out := outgoing{cfg: &a.cfg, set: a.set,
		failedUTP: func() { root.Send(self, &utpFailed{}) },
		fellBack:  a.gauges.fellBackToTCP}
	_, tryUTP := out.tryUTP()
	a.gauges.open(false, tryUTP)
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteDial)
		a.cfg.Supervision.Inject(supervisor.KindPeer, supervisor.SiteDial, string(supervisor.SiteDial))
		conn, hs, utp, err := a.dial(out)
		if err != nil {
			root.Send(self, &connectFailed{err: err})
			return
		}
		root.Send(self, &connected{conn: conn, hs: hs, utp: utp})
	}()
}

// dial connects (uTP first, transport.go) and exchanges handshakes, all
// bounded by timeouts; utp tells the transport.
func (a *Actor) dial(out outgoing) (conn net.Conn, hs wire.Handshake, utp bool, err error) {
	conn, utp, err = out.connect(a.readerCtx)
	ipv6 := err == nil && isIPv6(conn.RemoteAddr())
	if !errors.Is(err, ErrNoTransport) {
		a.ip.connect(a.cfg.Counters, err == nil, ipv6)
	}
	if err != nil {
		return nil, hs, utp, err
	}
	a.gauges.transportConnected()
	_ = conn.SetDeadline(time.Now().Add(out.set.Seconds(settings.HandshakeTimeout)))
	if err = wire.WriteHandshake(conn, a.ourHandshake()); err != nil {
		conn.Close()
		return nil, hs, utp, fmt.Errorf("peeractor: send handshake: %w", err)
	}
	if hs, err = wire.ReadHandshake(conn); err != nil {
		conn.Close()
		return nil, hs, utp, fmt.Errorf("peeractor: read handshake: %w", err)
	}
	_ = conn.SetDeadline(time.Time{})
	if hs.InfoHash != a.cfg.InfoHash {
		conn.Close()
		return nil, wire.Handshake{}, utp, ErrInfoHashMismatch
	}
	return conn, hs, utp, nil
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
