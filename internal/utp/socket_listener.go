package utp

import (
	"context"
	"net"
	"net/netip"
	"sync"
)

// listenerView is an accept view of the socket: its own backlog and its
// own Close, which ends its Accept without touching the socket, so a
// supervised listener can stop and be restarted while outgoing
// connections live on.
type listenerView struct {
	s         *Socket
	ch        chan *Stream // the backlog; the owner sends under s.mu
	closed    chan struct{}
	closeOnce sync.Once
}

func newListenerView(s *Socket) *listenerView {
	return &listenerView{s: s, ch: make(chan *Stream, s.sc.AcceptBacklog), closed: make(chan struct{})}
}

func (v *listenerView) isClosed() bool { return isClosed(v.closed) }

// Accept waits for the next incoming connection.
func (v *listenerView) Accept() (net.Conn, error) {
	if v.isClosed() {
		return nil, net.ErrClosed
	}
	select {
	case st := <-v.ch:
		return st, nil
	case <-v.closed:
		return nil, net.ErrClosed
	}
}

// Close ends this view's Accept and closes the connections waiting in its
// backlog. While no view is open, SYNs are answered with RESET.
func (v *listenerView) Close() error {
	first := false
	v.closeOnce.Do(func() {
		first = true
		v.s.mu.Lock()
		close(v.closed)
		if v.s.view == v {
			v.s.view = nil
		}
		v.s.mu.Unlock()
		// The owner sends only under s.mu after checking closed, so
		// nothing arrives after this drain.
		for {
			select {
			case st := <-v.ch:
				st.Close()
			default:
				return
			}
		}
	})
	if !first {
		return net.ErrClosed
	}
	return nil
}

func (v *listenerView) Addr() net.Addr { return v.s.laddr }

// Listener returns a new accept view and closes the previous one: at
// most one view accepts at a time.
func (s *Socket) Listener() net.Listener {
	nv := newListenerView(s)
	s.mu.Lock()
	old := s.view
	if isClosed(s.closing) {
		close(nv.closed)
	} else {
		s.view = nv
	}
	s.mu.Unlock()
	if old != nil {
		old.Close()
	}
	return nv
}

// Accept takes the next incoming connection from the current view;
// net.ErrClosed when none is open or the socket is closed.
func (s *Socket) Accept() (net.Conn, error) {
	s.mu.Lock()
	v := s.view
	s.mu.Unlock()
	if v == nil {
		return nil, net.ErrClosed
	}
	return v.Accept()
}

// DialContext opens a uTP connection to addr: it sends the SYN and waits
// for the answer, the connect timeout (Config.ConnectTimeout and
// SynResends) or ctx, whichever comes first.
func (s *Socket) DialContext(ctx context.Context, addr netip.AddrPort) (net.Conn, error) {
	addr = unmapAddrPort(addr)
	st := newStream(s, addr)
	if !addr.IsValid() || (s.laddr.IP.To4() != nil && !addr.Addr().Is4()) {
		return nil, st.opError("dial", net.InvalidAddrError("address family not served by this socket"))
	}
	select {
	case s.dials <- st:
	case <-s.closing:
		return nil, st.opError("dial", net.ErrClosed)
	case <-ctx.Done():
		return nil, st.opError("dial", ctx.Err())
	}
	select {
	case <-st.connected:
	case <-ctx.Done():
		st.Close()
		return nil, st.opError("dial", ctx.Err())
	}
	st.mu.Lock()
	err := st.werr
	st.mu.Unlock()
	if err != nil {
		st.Close()
		return nil, st.opError("dial", err)
	}
	return st, nil
}
