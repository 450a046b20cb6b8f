package udptracker

import (
	"net"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"
)

// memNet is an in-memory UDP network for tests that run in a
// testing/synctest bubble. A packet is lost only when a fake tracker's
// script drops it, and retransmission timers run in virtual time, so what
// a test counts (connects, announces, retries) never depends on how busy
// the machine is: on real sockets with a 20 ms retransmission base, a
// reply late by a few tens of milliseconds under load is a retransmission
// the test did not expect.
type memNet struct {
	mu    sync.Mutex
	conns map[netip.AddrPort]*memConn
	port  uint16
}

func newMemNet() *memNet { return &memNet{conns: map[netip.AddrPort]*memConn{}, port: 40000} }

// listen opens a conn at ip and a fresh port.
func (n *memNet) listen(ip string) *memConn {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.port++
	c := &memConn{net: n, addr: netip.AddrPortFrom(netip.MustParseAddr(ip), n.port),
		in: make(chan memPacket, 64), closed: make(chan struct{}), wake: make(chan struct{})}
	n.conns[c.addr] = c
	return c
}

type memPacket struct {
	data []byte
	from *net.UDPAddr
}

// memConn is one socket of a memNet (a net.PacketConn).
type memConn struct {
	net       *memNet
	addr      netip.AddrPort
	in        chan memPacket
	closeOnce sync.Once
	closed    chan struct{}

	mu       sync.Mutex
	deadline time.Time
	wake     chan struct{} // closed when the read deadline changes
}

func (c *memConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		c.mu.Lock()
		dl, wake := c.deadline, c.wake
		c.mu.Unlock()
		var expired <-chan time.Time
		var timer *time.Timer
		if !dl.IsZero() {
			d := time.Until(dl)
			if d <= 0 {
				return 0, nil, os.ErrDeadlineExceeded
			}
			timer = time.NewTimer(d)
			expired = timer.C
		}
		select {
		case p := <-c.in:
			stop(timer)
			return copy(b, p.data), p.from, nil
		case <-c.closed:
			stop(timer)
			return 0, nil, net.ErrClosed
		case <-wake:
			stop(timer)
		case <-expired:
			return 0, nil, os.ErrDeadlineExceeded
		}
	}
}

func stop(t *time.Timer) {
	if t != nil {
		t.Stop()
	}
}

// WriteTo delivers b to the conn at addr, if any, and drops it when that
// conn's queue is full, as UDP would.
func (c *memConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	select {
	case <-c.closed:
		return 0, net.ErrClosed
	default:
	}
	to, ok := addrPortOf(addr)
	if !ok {
		return 0, &net.AddrError{Err: "not a UDP address", Addr: addr.String()}
	}
	c.net.mu.Lock()
	dst := c.net.conns[to]
	c.net.mu.Unlock()
	if dst != nil {
		select {
		case dst.in <- memPacket{data: append([]byte(nil), b...), from: net.UDPAddrFromAddrPort(c.addr)}:
		default:
		}
	}
	return len(b), nil
}

func (c *memConn) Close() error {
	c.closeOnce.Do(func() {
		close(c.closed)
		c.net.mu.Lock()
		delete(c.net.conns, c.addr)
		c.net.mu.Unlock()
	})
	return nil
}

func (c *memConn) LocalAddr() net.Addr { return net.UDPAddrFromAddrPort(c.addr) }

func (c *memConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	close(c.wake)
	c.wake = make(chan struct{})
	c.mu.Unlock()
	return nil
}

func (c *memConn) SetDeadline(t time.Time) error    { return c.SetReadDeadline(t) }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

// startMemTracker runs a fake tracker on n, at 127.0.0.1.
func startMemTracker(t *testing.T, n *memNet) *fakeTracker {
	t.Helper()
	return serveFakeTracker(t, n.listen("127.0.0.1"))
}

// newMemClient runs a Client on a conn of n at 127.0.0.1 (an IPv4
// socket); the conn is closed when the test ends.
func newMemClient(t *testing.T, n *memNet, cfg Config) *Client {
	t.Helper()
	conn := n.listen("127.0.0.1")
	c := New(conn, cfg)
	t.Cleanup(func() {
		_ = c.Close()
		_ = conn.Close()
	})
	return c
}
