package dhtactor

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"

	"github.com/anacrolix/dht/v2/krpc"
	"github.com/anacrolix/torrent/bencode"
)

// guardedConn is the DHT server's socket. anacrolix/dht's read loop
// panics on any read error unless its server is closed already (its
// serveUntilClosed), outside our supervision: one unexpected error would
// kill the process. So a read error we did not cause (the socket closed
// under us, a shared socket's demultiplexer gone) is reported to the
// actor (onFail, once), which fails and is restarted, and the read then
// blocks until the actor has closed the server: the library sees the
// error only once its server is closed, and returns quietly. It also
// counts the DHT's traffic for session_status, and drops packets that are
// not KRPC messages before the library sees them: the library logs each
// such packet on the process's stderr (through anacrolix/log's global
// logger), which a node sending garbage would turn into a flood of log
// lines. (Decoding twice costs little: a DHT node gets tens of packets a
// second.)
type guardedConn struct {
	net.PacketConn
	onFail   func(error)
	failOnce sync.Once
	closed   chan struct{}
	close    sync.Once
	up, down atomic.Int64
	dropped  atomic.Int64 // packets that were not KRPC
	// traffic counts the KRPC messages (the Probe's, across restarts).
	traffic *traffic
}

func newGuardedConn(c net.PacketConn, t *traffic, onFail func(error)) *guardedConn {
	if t == nil {
		t = &traffic{}
	}
	return &guardedConn{PacketConn: c, traffic: t, onFail: onFail, closed: make(chan struct{})}
}

func (g *guardedConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, addr, err := g.read(b)
		if err != nil {
			return n, addr, err
		}
		if m, ok := decodeKRPC(b[:n]); ok {
			g.traffic.received(&m, n)
			return n, addr, nil
		}
		g.dropped.Add(1)
	}
}

// isKRPC reports whether p decodes as a KRPC message (trailing bytes
// allowed, as the library allows them).
func isKRPC(p []byte) bool {
	_, ok := decodeKRPC(p)
	return ok
}

// decodeKRPC decodes p as a KRPC message.
func decodeKRPC(p []byte) (krpc.Msg, bool) {
	var m krpc.Msg
	if len(p) < 2 || p[0] != 'd' {
		return m, false
	}
	err := bencode.Unmarshal(p, &m)
	var trailing bencode.ErrUnusedTrailingBytes
	return m, err == nil || errors.As(err, &trailing)
}

func (g *guardedConn) read(b []byte) (int, net.Addr, error) {
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
	g.traffic.sent(b, n, err)
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
