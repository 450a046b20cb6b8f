package sessionactor

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/utp"
	"github.com/actorrent/actorrent/messages"
)

// errNoUTPSocket: the session has no uTP socket to dial from (none opened,
// or none of the peer's address family).
var errNoUTPSocket = errors.New("sessionactor: no uTP socket for this address")

// pairAttempts bounds the fresh TCP+UDP pairs tried for a listen
// interface on port 0 whose UDP port turned out to be taken.
const pairAttempts = 5

// libtorrent's listen_succeeded_alert / listen_failed_alert socket types.
const (
	sockTCP = 0
	sockUDP = 2
)

// utpSockets are the session's uTP sockets, one per listen interface, on
// its TCP listener's port (libtorrent's listen_socket_t: a TCP listener
// and a UDP socket on the same port). The session actor opens and closes
// them; the peers' dial goroutines read the list (dial), hence the lock.
type utpSockets struct {
	mu    sync.RWMutex
	socks []*utp.Socket
}

// dial connects over the socket serving addr's family (the first one
// that can), for peeractor.Config.DialUTP: one value for the session's
// life, whatever sockets relistening opens.
func (u *utpSockets) dial(ctx context.Context, addr netip.AddrPort) (net.Conn, error) {
	u.mu.RLock()
	s := pickSocket(u.socks, addr)
	u.mu.RUnlock()
	if s == nil {
		return nil, errNoUTPSocket
	}
	return s.DialContext(ctx, addr)
}

// pickSocket is the socket of addr's family: an IPv4 socket serves IPv4
// only; an IPv6 one (dual-stack when unspecified) serves either, second
// choice for IPv4.
func pickSocket(socks []*utp.Socket, addr netip.AddrPort) *utp.Socket {
	var v6 *utp.Socket
	for _, s := range socks {
		ua, ok := s.Addr().(*net.UDPAddr)
		if !ok {
			continue
		}
		if ua.IP.To4() != nil {
			if addr.Addr().Unmap().Is4() {
				return s
			}
			continue
		}
		if addr.Addr().Is6() && !addr.Addr().Is4In6() {
			return s
		}
		if v6 == nil && ua.IP.IsUnspecified() {
			v6 = s
		}
	}
	return v6
}

func (u *utpSockets) add(s *utp.Socket) {
	u.mu.Lock()
	u.socks = append(u.socks, s)
	u.mu.Unlock()
}

// closeAll closes every socket (the connections on them end with a
// RESET) and forgets them.
func (u *utpSockets) closeAll() {
	u.mu.Lock()
	socks := u.socks
	u.socks = nil
	u.mu.Unlock()
	for _, s := range socks {
		_ = s.Close()
	}
}

// at is the uTP socket on the listen address addr (its TCP listener's
// IP and port), nil when there is none.
func (u *utpSockets) at(addr string) *utp.Socket {
	want, err := netip.ParseAddrPort(addr)
	if err != nil {
		return nil
	}
	u.mu.RLock()
	defer u.mu.RUnlock()
	for _, s := range u.socks {
		if ua, ok := s.Addr().(*net.UDPAddr); ok && ua.AddrPort() == want {
			return s
		}
	}
	return nil
}

// each calls f with every socket.
func (u *utpSockets) each(f func(*utp.Socket)) {
	u.mu.RLock()
	socks := append([]*utp.Socket(nil), u.socks...)
	u.mu.RUnlock()
	for _, s := range socks {
		f(s)
	}
}

// status sums the sockets' utp_status.
func (u *utpSockets) status() messages.UTPStatus {
	var st messages.UTPStatus
	u.each(func(s *utp.Socket) {
		x := s.Stats()
		st.NumIdle += x.NumIdle
		st.NumSynSent += x.NumSynSent
		st.NumConnected += x.NumConnected
		st.NumFinSent += x.NumFinSent
		st.NumCloseWait += x.NumCloseWait
		st.PacketLoss += x.PacketLoss
		st.Timeout += x.Timeout
		st.PacketsIn += x.PacketsIn
		st.PacketsOut += x.PacketsOut
		st.FastRetransmit += x.FastRetransmit
		st.PacketResend += x.PacketResend
		st.SamplesAboveTarget += x.SamplesAboveTarget
		st.SamplesBelowTarget += x.SamplesBelowTarget
		st.PayloadPktsIn += x.PayloadPktsIn
		st.PayloadPktsOut += x.PayloadPktsOut
		st.InvalidPktsIn += x.InvalidPktsIn
		st.RedundantPktsIn += x.RedundantPktsIn
	})
	return st
}

// utpConfig is libtorrent's utp_* settings as a connection's Config.
func utpConfig(s *settings.Snapshot) utp.Config {
	ms := func(k settings.IntKey) time.Duration { return time.Duration(s.Int(k)) * time.Millisecond }
	c := utp.DefaultConfig()
	c.TargetDelay = ms(settings.UTPTargetDelay)
	c.GainFactor = s.Int(settings.UTPGainFactor)
	c.MinTimeout = ms(settings.UTPMinTimeout)
	c.SynResends = s.Int(settings.UTPSynResends)
	c.FinResends = s.Int(settings.UTPFinResends)
	c.NumResends = s.Int(settings.UTPNumResends)
	c.ConnectTimeout = ms(settings.UTPConnectTimeout)
	c.DelayedAck = ms(settings.UTPDelayedAck)
	c.LossMultiplier = s.Int(settings.UTPLossMultiplier)
	c.CwndReduceTimer = ms(settings.UTPCwndReduceTimer)
	// 4 MiB windows each way rather than libtorrent's 1 MiB receive
	// buffer: between two of ours on loopback, 256 MiB went at 289 MiB/s
	// with 1 MiB (0.59 of TCP) and 423 MiB/s with 4 MiB (0.75); the
	// queueing LEDBAT allows fills a 1 MiB window well before 100 ms.
	// The rings grow only as data waits in them, and an idle connection
	// gives them back, so a quiet peer costs no more.
	c.ReceiveBuffer, c.SendBuffer = utpWindow, utpWindow
	return c
}

// utpWindow is a uTP connection's receive and send buffer (utpConfig).
const utpWindow = 4 << 20

// socketConfig is a new uTP socket's configuration: the connections'
// settings; the socket's buffers, size and backlog are the utp package's
// defaults (4 MiB buffers: libtorrent's uTP loses packets on loopback
// with the kernel's default ones).
func socketConfig(s *settings.Snapshot) utp.SocketConfig {
	return utp.SocketConfig{Conn: utpConfig(s)}
}

// listenPair opens iface's TCP listener and, on the port it got, its uTP
// socket, as libtorrent opens a listen socket: TCP first. With port 0 a
// UDP port already taken makes it try a fresh pair, pairAttempts times;
// otherwise (or when every attempt failed) the TCP listener is kept
// without uTP and udpErr says why. A TCP failure returns err.
func listenPair(iface string, cfg utp.SocketConfig) (l net.Listener, sock *utp.Socket, udpErr, err error) {
	host, port, err := net.SplitHostPort(iface)
	if err != nil {
		return nil, nil, nil, err
	}
	for range pairAttempts {
		if l, err = net.Listen("tcp", iface); err != nil {
			return nil, nil, nil, err
		}
		got := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		sock, udpErr = utp.Listen("udp", net.JoinHostPort(host, got), cfg)
		if udpErr == nil {
			return l, sock, nil, nil
		}
		if port != "0" {
			return l, nil, udpErr, nil
		}
		l.Close()
	}
	// Every fresh pair collided: listen on TCP alone rather than not at all.
	if l, err = net.Listen("tcp", iface); err != nil {
		return nil, nil, nil, err
	}
	return l, nil, udpErr, nil
}
