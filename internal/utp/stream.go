package utp

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"
)

// streamBufDivisor sizes each Stream's read and write buffers, on top of
// the Conn's own: a quarter of Config.ReceiveBuffer and Config.SendBuffer
// (256 KiB each by default), at least minStreamBuf. They let the
// application and the owner goroutine work without waiting for each
// other, and grow only as far as the traffic needs.
const (
	streamBufDivisor = 4
	minStreamBuf     = 16 << 10
)

var errTooManyConns = errors.New("utp: too many connections on this socket")

// Stream is one uTP connection as a net.Conn. Its methods run on the
// application's goroutines and only touch the buffers and flags below; the
// socket's owner goroutine moves bytes between them and the Conn.
type Stream struct {
	s      *Socket
	remote netip.AddrPort
	raddr  *net.UDPAddr

	rlimit, wlimit int // rbuf and wbuf sizes

	mu          sync.Mutex
	rbuf        byteBuf // received, not yet read
	wbuf        byteBuf // written, not yet taken by the Conn
	rerr        error   // what Read returns once rbuf is empty
	werr        error   // what Write returns: the connection ended
	rfull       bool    // the owner left data in the Conn: rbuf was full
	appClosed   bool    // Close was called
	wclosed     bool    // CloseWrite was called
	ended       bool    // the Conn is gone
	established bool    // connected is closed
	closeWait   bool    // counted in Socket.closeWait

	rwake, wwake chan struct{} // capacity 1: "look again"
	connected    chan struct{} // closed once connected or ended
	closed       chan struct{} // closed by Close
	closeOnce    sync.Once
	rdl, wdl     deadline

	queued bool   // in the socket's inbox; guarded by Socket.inboxMu
	e      *entry // the owner's table entry; owner only
}

func newStream(s *Socket, remote netip.AddrPort) *Stream {
	cfg := s.connCfg.Load()
	return &Stream{
		s:         s,
		rlimit:    max(cfg.ReceiveBuffer/streamBufDivisor, minStreamBuf),
		wlimit:    max(cfg.SendBuffer/streamBufDivisor, minStreamBuf),
		remote:    remote,
		raddr:     net.UDPAddrFromAddrPort(remote),
		rwake:     make(chan struct{}, 1),
		wwake:     make(chan struct{}, 1),
		connected: make(chan struct{}),
		closed:    make(chan struct{}),
		rdl:       newDeadline(),
		wdl:       newDeadline(),
	}
}

// endLocked records that the connection ended with err (nil: cleanly).
func (st *Stream) endLocked(err error) {
	if st.ended {
		return
	}
	st.ended = true
	if st.rerr == nil {
		st.rerr = err
		if err == nil {
			st.rerr = io.EOF
		}
	}
	st.werr = err
	if err == nil {
		st.werr = ErrClosed
	}
	if !st.established {
		st.established = true
		close(st.connected)
	}
	if !st.appClosed {
		st.closeWait = true
		st.s.closeWait.Add(1)
	}
	signal(st.rwake)
	signal(st.wwake)
}

// fail ends a Stream that never got a connection.
func (st *Stream) fail(err error) {
	st.mu.Lock()
	st.endLocked(err)
	st.mu.Unlock()
}

func (st *Stream) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "utp", Source: st.s.laddr, Addr: st.raddr, Err: err}
}

// Read reads received bytes, waiting for some. After the peer's FIN it
// returns io.EOF once everything before it was read.
func (st *Stream) Read(b []byte) (int, error) {
	for {
		if st.rdl.passed() {
			return 0, st.opError("read", os.ErrDeadlineExceeded)
		}
		st.mu.Lock()
		if st.appClosed {
			st.mu.Unlock()
			return 0, st.opError("read", net.ErrClosed)
		}
		if st.rbuf.len() > 0 && len(b) > 0 {
			n := st.rbuf.read(b)
			// Ask for more only once half the buffer is free, so the
			// owner is not woken for every small read.
			more := st.rfull && st.rbuf.len() <= st.rlimit/2
			if more {
				st.rfull = false
			}
			st.mu.Unlock()
			if more {
				st.s.poke(st)
			}
			return n, nil
		}
		err := st.rerr
		st.mu.Unlock()
		switch {
		case err == io.EOF:
			return 0, io.EOF
		case err != nil:
			return 0, st.opError("read", err)
		case len(b) == 0:
			return 0, nil
		}
		select {
		case <-st.rwake:
		case <-st.rdl.wait():
		case <-st.closed:
		}
	}
}

// Write queues b for sending, waiting while the send buffers are full.
func (st *Stream) Write(b []byte) (int, error) {
	total := 0
	for {
		if st.wdl.passed() {
			return total, st.opError("write", os.ErrDeadlineExceeded)
		}
		st.mu.Lock()
		switch {
		case st.appClosed || st.wclosed:
			st.mu.Unlock()
			return total, st.opError("write", net.ErrClosed)
		case st.werr != nil:
			err := st.werr
			st.mu.Unlock()
			return total, st.opError("write", err)
		}
		wasEmpty := st.wbuf.len() == 0
		n := min(len(b), st.wlimit-st.wbuf.len())
		if n > 0 {
			st.wbuf.append(b[:n])
			b = b[n:]
			total += n
		}
		st.mu.Unlock()
		if n > 0 && wasEmpty {
			// A non-empty buffer is drained by the owner whenever the
			// Conn has room; only the first bytes need to tell it.
			st.s.poke(st)
		}
		if len(b) == 0 {
			return total, nil
		}
		select {
		case <-st.wwake:
		case <-st.wdl.wait():
		case <-st.closed:
		}
	}
}

// Close closes the Stream: what was written is still sent, then a FIN,
// from inside the socket (Close does not wait for it). Reads and writes
// waiting return net.ErrClosed.
func (st *Stream) Close() error {
	first := false
	st.closeOnce.Do(func() {
		first = true
		st.mu.Lock()
		st.appClosed = true
		if st.closeWait {
			st.closeWait = false
			st.s.closeWait.Add(-1)
		}
		st.rbuf.release()
		st.mu.Unlock()
		close(st.closed)
		st.s.poke(st)
	})
	if !first {
		return st.opError("close", net.ErrClosed)
	}
	return nil
}

// CloseWrite sends a FIN after what was written; reads go on for what
// the peer had sent. uTP has no half-close (libtorrent closes on FIN
// too): the peer answers our FIN with its own and drops what it had not
// sent yet, and our Conn ends once its FIN is acked.
func (st *Stream) CloseWrite() error {
	st.mu.Lock()
	if st.appClosed || st.wclosed {
		st.mu.Unlock()
		return st.opError("close", net.ErrClosed)
	}
	st.wclosed = true
	st.mu.Unlock()
	st.s.poke(st)
	return nil
}

// LocalAddr and RemoteAddr are *net.UDPAddr.
func (st *Stream) LocalAddr() net.Addr  { return st.s.laddr }
func (st *Stream) RemoteAddr() net.Addr { return st.raddr }

// SetDeadline, SetReadDeadline and SetWriteDeadline follow net.Conn: a
// zero time clears, a past time fails waiting and future calls at once.
func (st *Stream) SetDeadline(t time.Time) error {
	st.rdl.set(t)
	st.wdl.set(t)
	return nil
}
func (st *Stream) SetReadDeadline(t time.Time) error  { st.rdl.set(t); return nil }
func (st *Stream) SetWriteDeadline(t time.Time) error { st.wdl.set(t); return nil }
