package dhtactor

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
)

// guardedConn is the DHT server's socket. anacrolix/dht's read loop
// panics on any read error unless its server is closed already (its
// serveUntilClosed), outside our supervision: one unexpected error would
// kill the process. So a read error we did not cause (the socket closed
// under us, a shared socket's demultiplexer gone) is reported to the
// actor (onFail, once), which fails and is restarted, and the read then
// blocks until the actor has closed the server: the library sees the
// error only once its server is closed, and returns quietly. It also
// counts the DHT's traffic for session_status.
type guardedConn struct {
	net.PacketConn
	onFail   func(error)
	failOnce sync.Once
	closed   chan struct{}
	close    sync.Once
	up, down atomic.Int64
}

func newGuardedConn(c net.PacketConn, onFail func(error)) *guardedConn {
	return &guardedConn{PacketConn: c, onFail: onFail, closed: make(chan struct{})}
}

func (g *guardedConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, addr, err := g.PacketConn.ReadFrom(b)
	if err == nil {
		g.down.Add(int64(n))
		return n, addr, nil
	}
	select {
	case <-g.closed:
		return 0, nil, net.ErrClosed
	default:
	}
	g.failOnce.Do(func() { g.onFail(err) })
	<-g.closed
	return 0, nil, net.ErrClosed
}

func (g *guardedConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	n, err := g.PacketConn.WriteTo(b, addr)
	g.up.Add(int64(n))
	return n, err
}

// Close closes the socket; the server calls it (after marking itself
// closed) from its Close.
func (g *guardedConn) Close() error {
	first := false
	g.close.Do(func() { close(g.closed); first = true })
	if !first {
		return nil
	}
	if err := g.PacketConn.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}
