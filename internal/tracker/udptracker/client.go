package udptracker

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"
)

// Defaults for Config.
const (
	// DefaultRetransmitBase is BEP 15's first wait: 15 s, doubled after
	// each retransmission (15 · 2^n).
	DefaultRetransmitBase = 15 * time.Second
	// DefaultMaxRetries is 2 retransmissions, so an unanswered exchange
	// gives up after 15 + 30 + 60 = 105 s. BEP 15 allows n up to 8 (over an
	// hour), which would pin a torrent's announce for nothing; libtorrent
	// does not retransmit at all and gives up after tracker_receive_timeout
	// (10 s) of silence. Callers normally bound Announce with a shorter
	// context anyway (libtorrent's tracker_completion_timeout is 30 s,
	// stop_tracker_timeout 5 s), and the context always wins.
	DefaultMaxRetries = 2
	// DefaultConnIDTTL is how long a connection id is used: BEP 15 allows a
	// minute after it was received; libtorrent's udp_tracker_token_expiry
	// is also 60 s.
	DefaultConnIDTTL = 60 * time.Second
)

// maxPacket is the receive buffer: the largest UDP payload, so nothing is
// ever truncated by the socket.
const maxPacket = 65535

// maxReadErrors is how many consecutive read errors other than a closed
// socket the reader tolerates (e.g. ICMP-induced ECONNREFUSED) before it
// gives up and fails the Client.
const maxReadErrors = 100

// Config tunes a Client; zero fields take the defaults.
type Config struct {
	// RetransmitBase is the wait before the first retransmission; each
	// further one waits twice as long. Default DefaultRetransmitBase.
	RetransmitBase time.Duration
	// MaxRetries is the number of retransmissions after the first send:
	// 0 means DefaultMaxRetries, negative means none.
	MaxRetries int
	// ConnIDTTL is how long a connection id is reused. Default
	// DefaultConnIDTTL.
	ConnIDTTL time.Duration
	// Now is the clock for connection-id expiry (tests drive it). Default
	// time.Now.
	Now func() time.Time
	// Resolve looks up a tracker host name. Default
	// net.DefaultResolver.LookupNetIP(ctx, "ip", host).
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
}

func (c Config) withDefaults() Config {
	if c.RetransmitBase <= 0 {
		c.RetransmitBase = DefaultRetransmitBase
	}
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = DefaultMaxRetries
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	if c.ConnIDTTL <= 0 {
		c.ConnIDTTL = DefaultConnIDTTL
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Resolve == nil {
		c.Resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	return c
}

// Client talks to any number of UDP trackers over one socket. It is safe
// for concurrent use.
type Client struct {
	conn  net.PacketConn
	owned bool
	cfg   Config

	mu      sync.Mutex
	pending map[uint32]*waiter            // by transaction id
	conns   map[netip.AddrPort]*connState // connection ids by tracker
	sharing int                           // callers waiting on another's connect (for tests)

	closeOnce sync.Once
	closed    chan struct{}
	readDone  chan struct{}
	readErr   error // why the reader stopped; valid once readDone is closed
}

// waiter receives the packets addressed to one transaction.
type waiter struct {
	from netip.AddrPort
	ch   chan []byte
}

// Listen opens a UDP socket (network "udp", "udp4" or "udp6"; laddr such
// as ":0") that the Client owns and closes.
func Listen(network, laddr string, cfg Config) (*Client, error) {
	conn, err := net.ListenPacket(network, laddr)
	if err != nil {
		return nil, fmt.Errorf("udptracker: listen: %w", err)
	}
	c := New(conn, cfg)
	c.owned = true
	return c, nil
}

// New runs a Client on conn, which it reads exclusively until Close. Close
// does not close conn; it stops the reader by setting a read deadline in
// the past, which the owner must clear to read from conn again.
func New(conn net.PacketConn, cfg Config) *Client {
	c := &Client{
		conn:     conn,
		cfg:      cfg.withDefaults(),
		pending:  map[uint32]*waiter{},
		conns:    map[netip.AddrPort]*connState{},
		closed:   make(chan struct{}),
		readDone: make(chan struct{}),
	}
	go c.readLoop()
	return c
}

// LocalAddr is the socket's address.
func (c *Client) LocalAddr() net.Addr { return c.conn.LocalAddr() }

// Close stops the Client: calls in progress return ErrClosed. It waits for
// the reader goroutine to end.
func (c *Client) Close() error {
	var err error
	c.closeOnce.Do(func() {
		close(c.closed)
		if c.owned {
			err = c.conn.Close()
		} else {
			err = c.conn.SetReadDeadline(time.Unix(1, 0))
		}
	})
	<-c.readDone
	return err
}

// readLoop hands each packet to the waiter of its transaction id if it
// came from the address that waiter's request went to. Everything else —
// stray, late, spoofed or too short to have an id — is dropped here.
func (c *Client) readLoop() {
	defer close(c.readDone)
	buf := make([]byte, maxPacket)
	errs := 0
	for {
		n, addr, err := c.conn.ReadFrom(buf)
		if err != nil {
			select {
			case <-c.closed:
				c.readErr = ErrClosed
				return
			default:
			}
			if errs++; errors.Is(err, net.ErrClosed) || errs > maxReadErrors {
				c.readErr = fmt.Errorf("%w: socket: %w", ErrClosed, err)
				return
			}
			continue
		}
		errs = 0
		if n < responseHeader {
			continue
		}
		from, ok := addrPortOf(addr)
		if !ok {
			continue
		}
		tx := binary.BigEndian.Uint32(buf[4:8])
		c.mu.Lock()
		w := c.pending[tx]
		c.mu.Unlock()
		if w == nil || w.from != from {
			continue
		}
		select {
		case w.ch <- slices.Clone(buf[:n]):
		default: // the waiter has a backlog of junk; a retransmission recovers
		}
	}
}

// addrPortOf converts a packet's source to a comparable, unmapped form.
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

// register reserves a fresh random transaction id for a request to target.
// Ids are random so that an off-path attacker cannot guess them (BEP 15's
// reason for having them), and never 0, which some trackers treat as unset.
func (c *Client) register(target netip.AddrPort) (uint32, *waiter) {
	w := &waiter{from: target, ch: make(chan []byte, 8)}
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		tx := rand.Uint32()
		if _, taken := c.pending[tx]; tx != 0 && !taken {
			c.pending[tx] = w
			return tx, w
		}
	}
}

func (c *Client) unregister(tx uint32) {
	c.mu.Lock()
	delete(c.pending, tx)
	c.mu.Unlock()
}
