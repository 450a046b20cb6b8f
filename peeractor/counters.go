package peeractor

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync/atomic"
	"syscall"

	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
)

// The peer's share of the session's stats counters (libtorrent's
// peer_connection and bt_peer_connection counting): bytes as the socket
// moves them, messages by type, requests, disconnect reasons, and the
// connection gauges, which every peer gives back when it stops.

// incomingCounter is the ses.num_incoming_* counter of each message type.
var incomingCounter = map[wire.MessageID]stats.Index{
	wire.Choke: stats.SesNumIncomingChoke, wire.Unchoke: stats.SesNumIncomingUnchoke,
	wire.Interested: stats.SesNumIncomingInterested, wire.NotInterested: stats.SesNumIncomingNotInterested,
	wire.Have: stats.SesNumIncomingHave, wire.BitfieldMsg: stats.SesNumIncomingBitfield,
	wire.Request: stats.SesNumIncomingRequest, wire.Piece: stats.SesNumIncomingPiece,
	wire.Cancel: stats.SesNumIncomingCancel, wire.Port: stats.SesNumIncomingDHTPort,
	wire.Suggest: stats.SesNumIncomingSuggest, wire.HaveAll: stats.SesNumIncomingHaveAll,
	wire.HaveNone: stats.SesNumIncomingHaveNone, wire.Reject: stats.SesNumIncomingReject,
	wire.AllowedFast: stats.SesNumIncomingAllowedFast, wire.Extended: stats.SesNumIncomingExtended,
}

// countIncoming counts a message the reader decoded: its type, and a
// piece's block as payload (libtorrent counts payload as it arrives,
// requested or not). Keep-alives have no type and are not counted.
func countIncoming(c *stats.Counters, m *wire.Message) {
	if m.KeepAlive {
		return
	}
	if i, ok := incomingCounter[m.ID]; ok {
		c.Inc(i)
	}
	if m.ID == wire.Piece {
		c.Add(stats.NetRecvPayloadBytes, int64(len(m.Block)))
	}
}

// peerIP is a connection's IP overhead since its last report (for the
// torrent's stats_alert), added to by the reader, the writer and the dial.
type peerIP struct {
	up, down atomic.Int64
}

// transferred counts one send or receive of n bytes on the session's
// counters and the connection's overhead (libtorrent adds a transfer's
// overhead to both directions: the packets one way, their ACKs the other).
func (p *peerIP) transferred(c *stats.Counters, n int, sent, ipv6 bool) {
	if n <= 0 {
		return
	}
	c.Transferred(n, sent, ipv6)
	o := stats.IPOverhead(n, ipv6)
	p.up.Add(o)
	p.down.Add(o)
}

// connect counts an outgoing connect's SYN and SYN-ACK.
func (p *peerIP) connect(c *stats.Counters, ok, ipv6 bool) {
	c.Connect(ok, ipv6)
	o := int64(40)
	if ipv6 {
		o = 60
	}
	p.up.Add(o)
	if ok {
		p.up.Add(o)
		p.down.Add(o)
	}
}

// countingReader counts what each read from the socket returns, as
// libtorrent counts each completed receive.
type countingReader struct {
	r    io.Reader
	c    *stats.Counters
	ip   *peerIP
	ipv6 bool
}

func (r countingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.ip.transferred(r.c, n, false, r.ipv6)
	return n, err
}

func isIPv6(addr net.Addr) bool {
	ta, ok := addr.(*net.TCPAddr)
	return ok && ta.IP.To4() == nil
}

// handshakeLen is a BitTorrent handshake's size: both sides send one
// before the connection counts as connected.
const handshakeLen = 68

// flagGauges are the gauges a connection is in while a flag of its wire
// state holds (interested, unchoked); released when it stops.
type flagGauges struct {
	c    *stats.Counters
	held map[stats.Index]bool
}

func (f *flagGauges) set(i stats.Index, on bool) {
	if f.held[i] == on {
		return
	}
	if f.held == nil {
		f.held = map[stats.Index]bool{}
	}
	f.held[i] = on
	if on {
		f.c.Inc(i)
	} else {
		f.c.Add(i, -1)
	}
}

func (f *flagGauges) release() {
	for i, on := range f.held {
		if on {
			f.c.Add(i, -1)
		}
	}
	clear(f.held)
}

// errnoCounters are the disconnect reasons libtorrent counts by socket
// error (peer_connection::disconnect).
var errnoCounters = []struct {
	errno syscall.Errno
	index stats.Index
}{
	{syscall.ECONNRESET, stats.PeerConnresetPeers},
	{syscall.ECONNREFUSED, stats.PeerConnrefusedPeers},
	{syscall.ECONNABORTED, stats.PeerConnabortedPeers},
	{syscall.ENOTCONN, stats.PeerNotconnectedPeers},
	{syscall.EPERM, stats.PeerPermPeers},
	{syscall.ENOBUFS, stats.PeerBufferPeers},
	{syscall.EHOSTUNREACH, stats.PeerUnreachablePeers},
	{syscall.EPIPE, stats.PeerBrokenPipePeers},
	{syscall.EADDRINUSE, stats.PeerAddrinusePeers},
	{syscall.EACCES, stats.PeerNoAccessPeers},
	{syscall.EINVAL, stats.PeerInvalidArgPeers},
	{syscall.ECANCELED, stats.PeerAbortedPeers},
}

// countDisconnect counts a connection's end by its reason: every end is
// a disconnected peer; a peer breaking the protocol is an error peer (what
// libtorrent disconnects with error 2); socket errors by errno; EOF; an
// outgoing connect or handshake that timed out is a connect timeout, and
// a silent peer a timeout peer.
func countDisconnect(c *stats.Counters, err error, protocol, dialing bool) {
	c.Inc(stats.PeerDisconnectedPeers)
	if protocol {
		c.Inc(stats.PeerErrorPeers)
	}
	switch {
	case errors.Is(err, io.EOF):
		c.Inc(stats.PeerEOFPeers)
	case errors.Is(err, ErrInactive):
		c.Inc(stats.PeerTimeoutPeers)
	case dialing && (errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded)):
		c.Inc(stats.PeerConnectTimeouts)
	case errors.Is(err, context.Canceled):
		c.Inc(stats.PeerAbortedPeers) // asio's operation_aborted
	default:
		for _, e := range errnoCounters {
			if errors.Is(err, e.errno) {
				c.Inc(e.index)
				break
			}
		}
	}
}

// countHandshakes counts the two handshakes a connected peer exchanged
// (read and written before the reader and writer start) and sets up the
// writer's counting.
func (a *Actor) countHandshakes(conn net.Conn) {
	ipv6 := isIPv6(conn.RemoteAddr())
	a.ip.transferred(a.cfg.Counters, handshakeLen, true, ipv6)
	a.ip.transferred(a.cfg.Counters, handshakeLen, false, ipv6)
	a.w.counters, a.w.ip, a.w.ipv6 = a.cfg.Counters, &a.ip, ipv6
}

// sent counts n outgoing messages of type i as they are queued
// (libtorrent counts them when it writes them to its send buffer).
func (a *Actor) sent(i stats.Index, n int) { a.cfg.Counters.Add(i, int64(n)) }
