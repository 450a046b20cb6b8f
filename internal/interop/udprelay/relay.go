// Package udprelay is a lossy, reordering, delaying UDP relay for tests:
// there is no netem on the machines the tests run on, so impairments are
// made in user space. A Relay listens on one address and forwards to one
// target, like a NAT: each client gets its own upstream socket, so the
// target sees one address per client and its replies find their way back.
//
//	r, err := udprelay.New(udprelay.Config{
//		Target: target,
//		Up:     udprelay.Impairment{Loss: 0.01, Reorder: 0.05, Delay: 20 * time.Millisecond},
//		Down:   udprelay.Impairment{Loss: 0.01, Delay: 20 * time.Millisecond},
//		Seed:   1,
//	})
//	defer r.Close()
//	// clients send to r.Addr() instead of target
//
// It costs four system calls and two goroutine hand-offs a datagram:
// about 50 MB/s of 1400-byte datagrams on a loaded 2-core machine
// (BenchmarkRelayForward), far above what 1% loss leaves a uTP transfer
// but below an unimpaired one, which it would slow down.
package udprelay

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
)

// Defaults for the Config bounds left zero.
const (
	defaultMaxClients     = 256
	defaultMaxQueued      = 1 << 16
	defaultMaxQueuedBytes = 64 << 20
	defaultSocketBuffer   = 4 << 20
	inboxCap              = 4096 // datagrams read but not yet decided on, per direction
	maxDatagram           = 1 << 16
)

// Config configures a Relay.
type Config struct {
	// Target receives every client's datagrams (required).
	Target netip.AddrPort
	// Listen is the clients' side (default 127.0.0.1:0).
	Listen netip.AddrPort
	// Up impairs client → target, Down target → client.
	Up, Down Impairment
	// Seed seeds both directions' random sources (each its own stream).
	Seed uint64
	// MaxClients bounds the upstream sockets (default 256); datagrams from
	// further clients are dropped and counted in Stats.RefusedClients.
	MaxClients int
	// MaxQueued and MaxQueuedBytes bound each direction's delayed and
	// held datagrams (default 65536 and 64 MiB); beyond, datagrams are
	// dropped and counted in DirStats.Overflow.
	MaxQueued, MaxQueuedBytes int
	// SocketBuffer is asked of the kernel for every socket's receive and
	// send buffers (default 4 MiB; Linux caps it at rmem_max/wmem_max):
	// the kernel's default would drop a fast sender's bursts, a loss
	// nobody asked for and no counter shows.
	SocketBuffer int
}

// Relay forwards datagrams between its clients and the target.
type Relay struct {
	cfg      Config
	ln       *net.UDPConn
	up, down *link
	upStats  dirCounters
	dnStats  dirCounters
	refused  atomic.Uint64
	stop     chan struct{}
	wg       sync.WaitGroup

	mu      sync.Mutex
	clients map[netip.AddrPort]*client // written by readClients only
	closed  bool
}

// client is one client address and its upstream socket, connected to the
// target so that it reads the target's replies only.
type client struct {
	addr netip.AddrPort
	conn *net.UDPConn
}

// New starts a relay; Close stops it.
func New(cfg Config) (*Relay, error) {
	if !cfg.Target.IsValid() {
		return nil, fmt.Errorf("%w: no Target", ErrBadConfig)
	}
	if err := cfg.Up.validate(); err != nil {
		return nil, fmt.Errorf("Up: %w", err)
	}
	if err := cfg.Down.validate(); err != nil {
		return nil, fmt.Errorf("Down: %w", err)
	}
	if cfg.MaxClients < 0 || cfg.MaxQueued < 0 || cfg.MaxQueuedBytes < 0 || cfg.SocketBuffer < 0 {
		return nil, fmt.Errorf("%w: negative bound", ErrBadConfig)
	}
	if !cfg.Listen.IsValid() {
		cfg.Listen = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0)
	}
	if cfg.MaxClients == 0 {
		cfg.MaxClients = defaultMaxClients
	}
	if cfg.MaxQueued == 0 {
		cfg.MaxQueued = defaultMaxQueued
	}
	if cfg.MaxQueuedBytes == 0 {
		cfg.MaxQueuedBytes = defaultMaxQueuedBytes
	}
	if cfg.SocketBuffer == 0 {
		cfg.SocketBuffer = defaultSocketBuffer
	}
	ln, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(cfg.Listen))
	if err != nil {
		return nil, fmt.Errorf("udprelay: listen: %w", err)
	}
	setBuffers(ln, cfg.SocketBuffer)
	r := &Relay{cfg: cfg, ln: ln, stop: make(chan struct{}), clients: map[netip.AddrPort]*client{}}
	r.up = newLink(cfg.Up, cfg.Seed, 1, inboxCap, cfg.MaxQueued, cfg.MaxQueuedBytes, &r.upStats, func(d datagram) error {
		_, err := d.c.conn.Write(d.b)
		return err
	})
	r.down = newLink(cfg.Down, cfg.Seed, 2, inboxCap, cfg.MaxQueued, cfg.MaxQueuedBytes, &r.dnStats, func(d datagram) error {
		_, err := r.ln.WriteToUDPAddrPort(d.b, d.c.addr)
		return err
	})
	r.wg.Add(3)
	go func() { defer r.wg.Done(); r.up.run(r.stop) }()
	go func() { defer r.wg.Done(); r.down.run(r.stop) }()
	go func() { defer r.wg.Done(); r.readClients() }()
	return r, nil
}

// Addr is where clients send their datagrams.
func (r *Relay) Addr() netip.AddrPort {
	return r.ln.LocalAddr().(*net.UDPAddr).AddrPort()
}

// Stats returns a snapshot of the counters.
func (r *Relay) Stats() Stats {
	r.mu.Lock()
	n := len(r.clients)
	r.mu.Unlock()
	return Stats{Up: r.upStats.snapshot(), Down: r.dnStats.snapshot(), Clients: n, RefusedClients: r.refused.Load()}
}

// Close stops every goroutine of the relay and closes its sockets;
// datagrams still queued are discarded.
func (r *Relay) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	close(r.stop)
	err := r.ln.Close()
	for _, c := range r.clients {
		err = errors.Join(err, c.conn.Close())
	}
	r.mu.Unlock()
	r.wg.Wait()
	return err
}

// readClients reads the clients' datagrams until the listener closes.
func (r *Relay) readClients() {
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := r.ln.ReadFromUDPAddrPort(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue // an ICMP error for an earlier reply: the client went away
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		c, ok := r.client(from)
		if !ok {
			continue
		}
		r.up.enqueue(datagram{b: clone(buf[:n]), c: c})
	}
}

// client returns from's client, opening its upstream socket the first
// time; false when MaxClients is reached or the relay is closing.
func (r *Relay) client(from netip.AddrPort) (*client, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.clients[from]; ok {
		return c, true
	}
	if r.closed {
		return nil, false
	}
	if len(r.clients) >= r.cfg.MaxClients {
		r.refused.Add(1)
		return nil, false
	}
	conn, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(r.cfg.Target))
	if err != nil {
		r.refused.Add(1)
		return nil, false
	}
	setBuffers(conn, r.cfg.SocketBuffer)
	c := &client{addr: from, conn: conn}
	r.clients[from] = c
	r.wg.Add(1)
	go func() { defer r.wg.Done(); r.readTarget(c) }()
	return c, true
}

// readTarget reads the target's replies to c until c's socket closes.
func (r *Relay) readTarget(c *client) {
	buf := make([]byte, maxDatagram)
	for {
		n, err := c.conn.Read(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue // ECONNREFUSED: nobody listened at the target yet
		}
		r.down.enqueue(datagram{b: clone(buf[:n]), c: c})
	}
}

// setBuffers asks for n-byte socket buffers; the kernel may give less,
// which only makes the relay what the kernel allows.
func setBuffers(c *net.UDPConn, n int) {
	_ = c.SetReadBuffer(n)
	_ = c.SetWriteBuffer(n)
}

func clone(b []byte) []byte { return append(make([]byte, 0, len(b)), b...) }
