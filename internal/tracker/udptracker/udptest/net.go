// Package udptest is an in-memory UDP network for tests that run in a
// testing/synctest bubble, like net/http/httptest for UDP: tracker clients
// and fake trackers talk over it with no socket, and every wait (a read
// deadline, a retransmission timer) runs in virtual time.
//
// A packet is lost only when nobody listens at its address or the
// receiver's queue is full, so what a test counts (connects, announces,
// retries) never depends on how busy the machine is: on real sockets a
// reply late by a few tens of milliseconds under load is a retransmission
// the test did not expect. An address nobody listens at is a dead tracker:
// packets sent there vanish, as they do to a host that drops them.
package udptest

import (
	"net"
	"net/netip"
	"os"
	"sync"
	"time"
)

// Net is one in-memory UDP network.
type Net struct {
	mu    sync.Mutex
	conns map[netip.AddrPort]*Conn
	port  uint16
}

// NewNet returns an empty network.
func NewNet() *Net { return &Net{conns: map[netip.AddrPort]*Conn{}, port: 40000} }

// Listen opens a conn at ip (e.g. "127.0.0.1") and a fresh port.
func (n *Net) Listen(ip string) *Conn {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.port++
	c := &Conn{net: n, addr: netip.AddrPortFrom(netip.MustParseAddr(ip), n.port),
		in: make(chan packet, 64), closed: make(chan struct{}), wake: make(chan struct{})}
	n.conns[c.addr] = c
	return c
}

type packet struct {
	data []byte
	from *net.UDPAddr
}

// Conn is one socket of a Net (a net.PacketConn).
type Conn struct {
	net       *Net
	addr      netip.AddrPort
	in        chan packet
	closeOnce sync.Once
	closed    chan struct{}

	mu       sync.Mutex
	deadline time.Time
	wake     chan struct{} // closed when the read deadline changes
}

// ReadFrom returns the next packet sent to c, waiting for one until the
// read deadline or Close.
func (c *Conn) ReadFrom(b []byte) (int, net.Addr, error) {
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
func (c *Conn) WriteTo(b []byte, addr net.Addr) (int, error) {
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
		case dst.in <- packet{data: append([]byte(nil), b...), from: net.UDPAddrFromAddrPort(c.addr)}:
		default:
		}
	}
	return len(b), nil
}

func addrPortOf(a net.Addr) (netip.AddrPort, bool) {
	var ap netip.AddrPort
	if u, ok := a.(*net.UDPAddr); ok {
		ap = u.AddrPort()
	} else {
		var err error
		if ap, err = netip.ParseAddrPort(a.String()); err != nil {
			return ap, false
		}
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), true
}

// Close ends c: reads in progress return net.ErrClosed and its address is
// free (packets sent there are lost).
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		close(c.closed)
		c.net.mu.Lock()
		delete(c.net.conns, c.addr)
		c.net.mu.Unlock()
	})
	return nil
}

// LocalAddr is c's address.
func (c *Conn) LocalAddr() net.Addr { return net.UDPAddrFromAddrPort(c.addr) }

// AddrPort is c's address, for building udp:// URLs.
func (c *Conn) AddrPort() netip.AddrPort { return c.addr }

// SetReadDeadline sets the read deadline; a read in progress sees it.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	close(c.wake)
	c.wake = make(chan struct{})
	c.mu.Unlock()
	return nil
}

// SetDeadline is SetReadDeadline: writes never block.
func (c *Conn) SetDeadline(t time.Time) error { return c.SetReadDeadline(t) }

// SetWriteDeadline does nothing: writes never block.
func (c *Conn) SetWriteDeadline(time.Time) error { return nil }
