package dhtactor

import (
	"errors"
	"net"
	"sync"
	"time"
)

// memNet is an in-memory UDP network for tests in a synctest bubble: a
// read blocks on a channel (durably), so virtual time runs while every
// node waits.
type memNet struct {
	mu    sync.Mutex
	conns map[string]*memConn
	next  int
}

type packet struct {
	b    []byte
	from net.Addr
}

type memConn struct {
	net    *memNet
	addr   *net.UDPAddr
	inbox  chan packet
	closed chan struct{}
	once   sync.Once
	// fail, when sent to, makes the next read fail (the socket broken
	// under the node).
	fail chan error
}

func newMemNet() *memNet { return &memNet{conns: map[string]*memConn{}} }

// listen binds a new address 10.0.0.N:6881.
func (n *memNet) listen() *memConn {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.next++
	c := &memConn{net: n, addr: &net.UDPAddr{IP: net.IPv4(10, 0, 0, byte(n.next)).To4(), Port: 6881},
		inbox: make(chan packet, 1024), closed: make(chan struct{}), fail: make(chan error, 1)}
	n.conns[c.addr.String()] = c
	return c
}

func (c *memConn) ReadFrom(b []byte) (int, net.Addr, error) {
	select {
	case p := <-c.inbox:
		return copy(b, p.b), p.from, nil
	case err := <-c.fail:
		return 0, nil, err
	case <-c.closed:
		return 0, nil, net.ErrClosed
	}
}

func (c *memConn) WriteTo(b []byte, to net.Addr) (int, error) {
	select {
	case <-c.closed:
		return 0, net.ErrClosed
	default:
	}
	c.net.mu.Lock()
	dst := c.net.conns[to.String()]
	c.net.mu.Unlock()
	if dst != nil {
		select {
		case dst.inbox <- packet{b: append([]byte(nil), b...), from: c.addr}:
		default: // a full queue drops, as UDP
		}
	}
	return len(b), nil
}

func (c *memConn) Close() error {
	c.once.Do(func() {
		close(c.closed)
		c.net.mu.Lock()
		delete(c.net.conns, c.addr.String())
		c.net.mu.Unlock()
	})
	return nil
}

func (c *memConn) LocalAddr() net.Addr              { return c.addr }
func (c *memConn) SetDeadline(time.Time) error      { return errors.ErrUnsupported }
func (c *memConn) SetReadDeadline(time.Time) error  { return errors.ErrUnsupported }
func (c *memConn) SetWriteDeadline(time.Time) error { return errors.ErrUnsupported }
