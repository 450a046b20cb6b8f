package utp

import (
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"time"
)

// packetConnQueue bounds the datagrams a PacketConn holds unread; beyond
// it they are dropped and counted (SocketStats.PacketConnDrops), as a
// kernel socket would drop them.
const packetConnQueue = 512

// claimedDatagram is a datagram a PacketConn claimed (copied out of the
// reader's batch).
type claimedDatagram struct {
	b    []byte
	from netip.AddrPort
}

// virtualPacketConn is a net.PacketConn over the socket for another
// protocol: it receives the datagrams its claim function takes and sends
// through the real socket.
type virtualPacketConn struct {
	s         *Socket
	claim     func(b []byte) bool
	q         chan claimedDatagram
	closed    chan struct{}
	closeOnce sync.Once
	rdl, wdl  deadline
}

// PacketConn registers a receiver for datagrams that are not uTP: those
// claim(b) returns true for go to it (first registered, first asked), for
// example the DHT's bencoded `d…e` messages. claim runs on the socket's
// goroutine: it must be quick and must not keep b.
func (s *Socket) PacketConn(claim func(b []byte) bool) net.PacketConn {
	v := &virtualPacketConn{s: s, claim: claim, q: make(chan claimedDatagram, packetConnQueue),
		closed: make(chan struct{}), rdl: newDeadline(), wdl: newDeadline()}
	s.mu.Lock()
	if isClosed(s.closing) {
		close(v.closed)
	} else {
		list := append(slices.Clone(*s.claimers.Load()), v)
		s.claimers.Store(&list)
	}
	s.mu.Unlock()
	return v
}

// IsDHTDatagram is libtorrent's test for a DHT message on the shared
// socket (dht_tracker::incoming_packet): more than 20 bytes, a bencoded
// dictionary's 'd' first and 'e' last. Pass it to PacketConn for the DHT.
func IsDHTDatagram(b []byte) bool {
	return len(b) > 20 && b[0] == 'd' && b[len(b)-1] == 'e'
}

// enqueue runs on the owner: a copy of b joins the queue, or is dropped.
func (v *virtualPacketConn) enqueue(b []byte, from netip.AddrPort) {
	select {
	case v.q <- claimedDatagram{b: append([]byte(nil), b...), from: from}:
	default:
		v.s.vpcDrops.Add(1)
	}
}

func (v *virtualPacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	if v.rdl.passed() {
		return 0, nil, v.opError("read", os.ErrDeadlineExceeded)
	}
	select {
	case <-v.closed:
		return 0, nil, v.opError("read", net.ErrClosed)
	default:
	}
	select {
	case d := <-v.q:
		return copy(b, d.b), net.UDPAddrFromAddrPort(d.from), nil
	case <-v.closed:
		return 0, nil, v.opError("read", net.ErrClosed)
	case <-v.rdl.wait():
		return 0, nil, v.opError("read", os.ErrDeadlineExceeded)
	}
}

func (v *virtualPacketConn) WriteTo(b []byte, addr net.Addr) (int, error) {
	if isClosed(v.closed) {
		return 0, v.opError("write", net.ErrClosed)
	}
	if v.wdl.passed() {
		return 0, v.opError("write", os.ErrDeadlineExceeded)
	}
	return v.s.pc.WriteTo(b, addr)
}

// Close stops the claims; the socket lives on.
func (v *virtualPacketConn) Close() error {
	first := false
	v.closeOnce.Do(func() {
		first = true
		v.s.mu.Lock()
		list := slices.DeleteFunc(slices.Clone(*v.s.claimers.Load()), func(x *virtualPacketConn) bool { return x == v })
		v.s.claimers.Store(&list)
		v.s.mu.Unlock()
		close(v.closed)
	})
	if !first {
		return v.opError("close", net.ErrClosed)
	}
	return nil
}

func (v *virtualPacketConn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "udp", Source: v.s.laddr, Err: err}
}

func (v *virtualPacketConn) LocalAddr() net.Addr { return v.s.laddr }

func (v *virtualPacketConn) SetDeadline(t time.Time) error {
	v.rdl.set(t)
	v.wdl.set(t)
	return nil
}
func (v *virtualPacketConn) SetReadDeadline(t time.Time) error  { v.rdl.set(t); return nil }
func (v *virtualPacketConn) SetWriteDeadline(t time.Time) error { v.wdl.set(t); return nil }
