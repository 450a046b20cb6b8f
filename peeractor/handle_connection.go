package peeractor

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// handleConnected starts the wire session: tell the torrent, send our
// bitfield, start the reader, writer and the one-second tick.
func (a *Actor) handleConnected(ctx actor.Context, m *connected) {
	if a.closing {
		m.conn.Close()
		return
	}
	a.conn = m.conn
	a.remote = m.hs
	a.fast.on = m.hs.SupportsFast()
	if a.isSelf(m.hs) {
		a.fail(ctx, ErrSelfConnection, false)
		return
	}
	a.connected = true
	now := time.Now()
	a.lastReceive, a.lastSend = now, now
	a.utp = m.utp
	a.act = actors.NewActivityHolder(a.cfg.Activity, m.utp)
	a.bw.connect(a.cfg, m.conn.RemoteAddr(), socketType(m.utp), a.set)
	a.w = newWriter()
	a.w.bw, a.w.ctx = &a.bw, a.readerCtx
	a.countHandshakes(m.conn)
	self, root := ctx.Self(), ctx.ActorSystem().Root
	if sup := a.cfg.Supervision; sup.Wants(supervisor.KindPeer, supervisor.SiteWriter) {
		a.w.inject = func() { sup.Inject(supervisor.KindPeer, supervisor.SiteWriter, "write") }
	}
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteWriter)
		a.w.run(a.conn,
			func(n int) { root.Send(self, &blockSent{n: n}) },
			func(err error) { root.Send(self, &ioFailed{err: err}) })
	}()
	ctx.Send(ctx.Parent(), &messages.PeerConnected{
		Key: a.cfg.Key, PeerID: m.hs.PeerID, Addr: a.addr, Incoming: a.cfg.Conn != nil, UTP: m.utp,
	})
	(fastExt{a}).sendPieces() // bitfield, have_all or have_none (fast.go)
	// BEP 10: the extension handshake goes after the bitfield.
	if m.hs.SupportsExtended() {
		a.sendExtHandshake()
	}
	dhtPorting{a}.sendPort(m.hs) // BEP 5 (dht_port.go)
	a.startReader(ctx)
	a.cancelTicker = actors.SendRepeatedly(ctx, tickInterval, tickInterval, self, &tick{})
}

// fail closes the connection and stops the actor. protocol marks the
// peer's fault (peer_error) rather than a plain disconnect.
func (a *Actor) fail(ctx actor.Context, err error, protocol bool) {
	if a.closing {
		return
	}
	a.closing = true
	a.closeErr = err
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		protocol = false
	}
	countDisconnect(a.cfg.Counters, err, protocol, !a.connected && a.cfg.Conn == nil)
	if err != nil && a.gauges.overUTP() {
		a.cfg.Counters.Inc(stats.PeerErrorUTPPeers) // libtorrent: any end worse than "normal"
	}
	if a.connected {
		// Before PeerClosed: the torrent still knows us and counts the
		// bytes moved since the last tick.
		a.reportStats(ctx)
	}
	ctx.Send(ctx.Parent(), &messages.PeerClosed{
		Key: a.cfg.Key, Addr: a.addr, PeerID: a.remote.PeerID, Err: err, Protocol: protocol,
	})
	ctx.Stop(ctx.Self())
}

// handleStopping releases the socket, the goroutines, and any write credit
// the reader took for blocks that never reached the disk.
func (a *Actor) handleStopping(ctx actor.Context) {
	if a.connected && !a.closing {
		// Stopped without fail: the actor failed (its supervisor stops
		// it). The bytes since the last tick still count, and reach the
		// torrent before it hears the actor is gone (peerGone).
		a.reportStats(ctx)
	}
	if !a.closing {
		countDisconnect(a.cfg.Counters, nil, false, false)
	}
	a.gauges.release()
	a.flags.release()
	a.act.Release()
	if a.cancelTicker != nil {
		a.cancelTicker()
	}
	if a.stopReader != nil {
		a.stopReader()
	}
	if a.w != nil {
		a.w.close()
	}
	if a.conn != nil {
		a.conn.Close()
		if a.connected {
			// The reader exits promptly once the socket is closed; after
			// that nobody adds to heldCredit any more.
			select {
			case <-a.readerDone:
			case <-time.After(5 * time.Second):
			}
		}
	}
	if n := a.heldCredit.Swap(0); n > 0 {
		a.cfg.Credit.Release(n)
	}
}

// releaseHeld gives back credit for a block the actor drops.
func (a *Actor) releaseHeld(data []byte) {
	n := int64(len(data))
	a.heldCredit.Add(-n)
	a.cfg.Credit.Release(n)
	bufpool.Put(data)
}

// ErrConnectionReset ends a connection reset by an injected fault.
var ErrConnectionReset = fmt.Errorf("peeractor: connection reset by fault injection: %w", syscall.ECONNRESET)

// handleReset resets the connection (an injected fault): the socket is
// closed with SO_LINGER 0, so the remote sees a TCP RST, and the peer ends
// as after a reset by the remote.
func (a *Actor) handleReset(ctx actor.Context) {
	if a.closing {
		return
	}
	if tc, ok := a.conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	a.fail(ctx, ErrConnectionReset, false)
}
