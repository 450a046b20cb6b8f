package utp

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// SocketConfig sizes one UDP socket and everything multiplexed on it.
type SocketConfig struct {
	Conn          Config // per-connection settings (DefaultConfig())
	ReadBuffer    int    // SO_RCVBUF bytes asked (default 4 MiB); SO_RCVBUFFORCE tried first when permitted
	WriteBuffer   int    // SO_SNDBUF likewise (default 4 MiB)
	MaxConns      int    // connections of all states on this socket (default 4096); SYNs beyond it get a RESET
	AcceptBacklog int    // accepted connections not yet taken by Accept (default 128); beyond it a SYN is ignored
}

func (c SocketConfig) withDefaults() SocketConfig {
	if c.Conn == (Config{}) {
		c.Conn = DefaultConfig()
	}
	if c.ReadBuffer <= 0 {
		c.ReadBuffer = 4 << 20
	}
	if c.WriteBuffer <= 0 {
		c.WriteBuffer = 4 << 20
	}
	if c.MaxConns <= 0 {
		c.MaxConns = 4096
	}
	if c.AcceptBacklog <= 0 {
		c.AcceptBacklog = 128
	}
	return c
}

// Socket is one UDP socket carrying every uTP connection to and from its
// port, plus the datagrams other protocols (DHT, UDP trackers) claim
// through PacketConn. One goroutine, the owner, holds the connection table
// and every Conn, as libtorrent's network thread does: Streams and the
// reader hand it work through channels and small inboxes, so no Conn is
// ever locked. A second goroutine reads datagrams in batches.
type Socket struct {
	pc    *net.UDPConn
	laddr *net.UDPAddr
	sc    SocketConfig

	connCfg        atomic.Pointer[Config]
	acceptIncoming atomic.Bool

	rx  rxQueue // reader → owner datagram batches
	bio batchIO // nil: one datagram per system call

	// Streams ask the owner for service through the inbox.
	inboxMu sync.Mutex
	inbox   []*Stream
	wake    chan struct{}

	dials    chan *Stream
	statsReq chan chan SocketStats

	mu       sync.Mutex // guards view and the claimer list
	view     *listenerView
	claimers atomic.Pointer[[]*virtualPacketConn]

	kernelDrops atomic.Uint64
	vpcDrops    atomic.Uint64
	closeWait   atomic.Int64 // streams whose connection ended, not yet closed by the app

	closing    chan struct{}
	closeOnce  sync.Once
	done       chan struct{} // the owner has stopped
	readerDone chan struct{}
	final      SocketStats // the last stats, written before done closes

	own ownerState // touched only by the owner goroutine
}

// Listen opens a UDP socket ("udp", "udp4" or "udp6") and serves uTP on it.
func Listen(network, addr string, cfg SocketConfig) (*Socket, error) {
	ua, err := net.ResolveUDPAddr(network, addr)
	if err != nil {
		return nil, err
	}
	pc, err := net.ListenUDP(network, ua)
	if err != nil {
		return nil, err
	}
	return NewSocket(pc, cfg)
}

// NewSocket serves uTP on pc, which it owns from now on (Close closes it).
func NewSocket(pc *net.UDPConn, cfg SocketConfig) (*Socket, error) {
	return newSocket(pc, cfg, true)
}

// newSocket is NewSocket; batched false keeps to one datagram per system
// call, the path of systems without recvmmsg (tests run it on Linux too).
func newSocket(pc *net.UDPConn, cfg SocketConfig, batched bool) (*Socket, error) {
	cfg = cfg.withDefaults()
	laddr, ok := pc.LocalAddr().(*net.UDPAddr)
	if !ok {
		pc.Close()
		return nil, errors.New("utp: socket has no UDP address")
	}
	setupUDP(pc, cfg)
	var bio batchIO
	if batched {
		bio = newBatchIO(pc)
	}
	s := &Socket{
		pc:         pc,
		bio:        bio,
		laddr:      laddr,
		sc:         cfg,
		wake:       make(chan struct{}, 1),
		dials:      make(chan *Stream),
		statsReq:   make(chan chan SocketStats),
		closing:    make(chan struct{}),
		done:       make(chan struct{}),
		readerDone: make(chan struct{}),
	}
	connCfg := cfg.Conn
	s.connCfg.Store(&connCfg)
	s.acceptIncoming.Store(true)
	s.claimers.Store(&[]*virtualPacketConn{})
	s.view = newListenerView(s)
	s.rx.init()
	s.own.init(s)
	go s.readLoop()
	go s.run()
	return s, nil
}

// Addr is the socket's local address, a *net.UDPAddr.
func (s *Socket) Addr() net.Addr { return s.laddr }

// SetConfig changes the settings new connections get; live ones keep theirs.
func (s *Socket) SetConfig(c Config) { s.connCfg.Store(&c) }

// SetAcceptIncoming turns incoming connections on or off (libtorrent's
// enable_incoming_utp). While off, SYNs are answered with a RESET.
func (s *Socket) SetAcceptIncoming(on bool) { s.acceptIncoming.Store(on) }

// Close ends every connection with a RESET (the socket is going away: no
// FIN could be resent or acked after this), closes the virtual
// PacketConns and the listener views, and waits for its goroutines.
func (s *Socket) Close() error {
	first := false
	s.closeOnce.Do(func() {
		first = true
		// A write stalled on a socket that does not drain would keep the
		// owner from ever seeing closing: the deadline ends it (shutdown
		// sets a fresh one for its RESETs).
		s.pc.SetWriteDeadline(time.Now())
		close(s.closing)
	})
	<-s.done
	if !first {
		return net.ErrClosed
	}
	return nil
}

// poke asks the owner to service st.
func (s *Socket) poke(st *Stream) {
	s.inboxMu.Lock()
	if !st.queued {
		st.queued = true
		s.inbox = append(s.inbox, st)
	}
	s.inboxMu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// takeInbox hands the owner the streams that asked for service.
func (s *Socket) takeInbox(dst []*Stream) []*Stream {
	s.inboxMu.Lock()
	dst = append(dst, s.inbox...)
	for _, st := range s.inbox {
		st.queued = false
	}
	clear(s.inbox)
	s.inbox = s.inbox[:0]
	s.inboxMu.Unlock()
	return dst
}

// run is the owner goroutine.
func (s *Socket) run() {
	o := &s.own
	defer close(s.done)
	for {
		select {
		case <-s.rx.ready:
			o.handleReceived()
		case <-s.wake:
			o.handleInbox()
		case <-o.timer.C:
			o.handleTimers()
		case st := <-s.dials:
			o.startDial(st)
		case ch := <-s.statsReq:
			ch <- o.stats()
		case <-s.closing:
			o.shutdown()
			return
		}
		o.flushTouched()
		o.sendOut()
	}
}

// randUint16 draws connection ids and initial sequence numbers.
func randUint16(r *rand.Rand) uint16 { return uint16(r.Uint32()) }

// connKey finds a connection: the peer's address and the id its packets
// carry for us.
type connKey struct {
	addr netip.AddrPort
	id   uint16
}

var (
	_ net.Listener   = (*Socket)(nil)
	_ net.Listener   = (*listenerView)(nil)
	_ net.Conn       = (*Stream)(nil)
	_ net.PacketConn = (*virtualPacketConn)(nil)
)
