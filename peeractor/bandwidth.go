package peeractor

import (
	"context"
	"io"
	"net"
	"net/netip"
	"sync/atomic"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
)

// Rate limits: every byte the reader takes off the socket and every byte
// the writer puts on it goes through the session's gate (actors.Bandwidth),
// drawing from the channels of the peer's classes and of its torrent.

// readQuantum bounds one socket read while the download is limited, and
// sendQuantum one write while the upload is: a block and its header. The
// gate grants a request whole, so small requests keep the peers that share
// a limit interleaved finely and the rate smooth; unlimited peers read and
// write in whole buffers and batches.
const (
	readQuantum = 16 << 10
	sendQuantum = 16<<10 + 256
)

// peerBandwidth is the peer's place in the rate limits. Its channels are
// fixed when the connection is made (connect), before the reader and the
// writer start, and only read after that; overhead follows the settings.
type peerBandwidth struct {
	gate  *actors.Bandwidth
	mask  uint32                  // the peer's classes
	chans [2][]*ratelimit.Channel // by ratelimit.Direction: its classes' then its torrent's
	all   []*ratelimit.Channel    // both directions, for the IP overhead
	ipv6  bool
	// overhead is rate_limit_ip_overhead: charge the estimated TCP/IP
	// headers of every socket operation to both directions.
	overhead atomic.Bool
	// waiting counts the reader's waits for download quota or disk write
	// credit under way: a late block is then not the peer's fault.
	waiting atomic.Int32
}

// connect classifies the peer by its remote address and socket type (the
// peer class type filter) and gathers its channels. Without a gate
// nothing is limited.
func (b *peerBandwidth) connect(cfg Config, remote net.Addr, st ratelimit.SocketType, set *settings.Snapshot) {
	b.gate = cfg.Bandwidth
	if b.gate == nil {
		return
	}
	addr := remoteIP(remote)
	b.ipv6 = addr.Is6() && !addr.Is4In6()
	pc := b.gate.PeerChannels(addr, st)
	b.mask = pc.Mask
	b.chans[ratelimit.Upload] = appendChannel(pc.Up, cfg.TorrentRates[ratelimit.Upload])
	b.chans[ratelimit.Download] = appendChannel(pc.Down, cfg.TorrentRates[ratelimit.Download])
	b.all = append(append([]*ratelimit.Channel(nil), b.chans[ratelimit.Upload]...), b.chans[ratelimit.Download]...)
	b.settingsChanged(set)
}

// socketType is the peer class type filter's name for the transport.
func socketType(utp bool) ratelimit.SocketType {
	if utp {
		return ratelimit.UTPSocket
	}
	return ratelimit.TCPSocket
}

func appendChannel(chans []*ratelimit.Channel, c *ratelimit.Channel) []*ratelimit.Channel {
	if c == nil {
		return chans
	}
	return append(chans, c)
}

// remoteIP is the IP of a remote address, invalid when it has none (a
// net.Pipe's): the gate then classifies it as 0.0.0.0.
func remoteIP(a net.Addr) netip.Addr {
	if a == nil {
		return netip.Addr{}
	}
	if t, ok := a.(*net.TCPAddr); ok {
		return t.AddrPort().Addr()
	}
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr()
	}
	return netip.Addr{}
}

// settingsChanged follows rate_limit_ip_overhead.
func (b *peerBandwidth) settingsChanged(set *settings.Snapshot) {
	if set != nil {
		b.overhead.Store(set.Bool(settings.RateLimitIPOverhead))
	}
}

// limited reports whether direction d is limited now. Limits change at
// runtime, so it is asked at every socket operation (a few atomic loads).
func (b *peerBandwidth) limited(d ratelimit.Direction) bool {
	return b != nil && b.gate != nil && !ratelimit.AllUnlimited(b.chans[d])
}

// moved charges the IP overhead of one socket operation of n bytes to
// every limited channel of the peer, both directions (the packets one
// way, their ACKs the other), as libtorrent does with
// rate_limit_ip_overhead.
func (b *peerBandwidth) moved(n int) {
	if n <= 0 || b == nil || b.gate == nil || !b.overhead.Load() || ratelimit.AllUnlimited(b.all) {
		return
	}
	b.gate.Charge(ratelimit.IPOverhead(int64(n), b.ipv6), b.all...)
}

// reader wraps conn so that every read waits for its bytes' download
// quota, or returns conn itself when the peer has no gate.
func (b *peerBandwidth) reader(ctx context.Context, conn net.Conn) io.Reader {
	if b.gate == nil {
		return conn
	}
	return &limitedReader{conn: conn, ctx: ctx, bw: b}
}

// limitedReader asks for quota after each read, for the bytes actually
// read: while it waits nothing reads the socket, its receive buffer
// fills, and TCP's flow control slows the sender down, which is how a
// download limit reaches the remote.
type limitedReader struct {
	conn net.Conn
	ctx  context.Context
	bw   *peerBandwidth
}

func (r *limitedReader) Read(p []byte) (int, error) {
	down := r.bw.limited(ratelimit.Download)
	if down && len(p) > readQuantum {
		p = p[:readQuantum]
	}
	n, err := r.conn.Read(p)
	if n <= 0 {
		return n, err
	}
	r.bw.moved(n)
	if down {
		r.bw.waiting.Add(1)
		aerr := r.bw.gate.Acquire(r.ctx, int64(n), r.bw.chans[ratelimit.Download]...)
		r.bw.waiting.Add(-1)
		if aerr != nil && err == nil {
			err = aerr // the peer is stopping
		}
	}
	return n, err
}

// writeBuffers writes a batch: in one writev when the upload is not
// limited, else in pieces of at most sendQuantum bytes, each after its
// quota is granted. It returns the bytes written.
func (b *peerBandwidth) writeBuffers(ctx context.Context, conn net.Conn, bufs net.Buffers) (int64, error) {
	if !b.limited(ratelimit.Upload) {
		n, err := bufs.WriteTo(conn)
		b.moved(int(n)) // the download may be limited: its share of overhead
		return n, err
	}
	var total int64
	for len(bufs) > 0 {
		var chunk net.Buffers
		chunk, bufs = takeChunk(bufs, sendQuantum)
		var n int64
		for _, c := range chunk {
			n += int64(len(c))
		}
		if err := b.gate.Acquire(ctx, n, b.chans[ratelimit.Upload]...); err != nil {
			return total, err
		}
		w, err := chunk.WriteTo(conn)
		total += w
		b.moved(int(w))
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// takeChunk splits off the front of bufs: whole buffers up to max bytes,
// or the first max bytes of a first buffer longer than that (bufs[0] is
// resliced past them).
func takeChunk(bufs net.Buffers, max int) (chunk, rest net.Buffers) {
	n, i := 0, 0
	for i < len(bufs) && n+len(bufs[i]) <= max {
		n += len(bufs[i])
		i++
	}
	if i > 0 {
		return bufs[:i:i], bufs[i:]
	}
	head := bufs[0][:max]
	bufs[0] = bufs[0][max:]
	return net.Buffers{head}, bufs
}
