package udptracker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// maxRetransmitWait caps the doubling at BEP 15's last step, 15 · 2^8 s,
// so a large MaxRetries cannot overflow the wait.
const maxRetransmitWait = 3840 * time.Second

// maxConnStates bounds the connection-id cache; past it, expired entries
// are swept when a new tracker is added.
const maxConnStates = 256

// connState is the cached connection id of one tracker address, or the
// connect in flight for it.
type connState struct {
	id      uint64
	expires time.Time    // zero: no id
	call    *connectCall // non-nil while a connect runs
}

// connectCall lets concurrent requests to one tracker share one connect.
type connectCall struct {
	done chan struct{}
	id   uint64
	err  error
	// abandoned means the caller that ran the connect gave up (its context
	// ended): the others must not inherit that and try again themselves.
	abandoned bool
}

// connID returns a connection id for target: a cached one (cached true) or
// a fresh one from a connect, shared with concurrent callers.
func (c *Client) connID(ctx context.Context, target netip.AddrPort) (id uint64, cached bool, err error) {
	for {
		c.mu.Lock()
		st := c.conns[target]
		if st == nil {
			c.sweepLocked()
			st = &connState{}
			c.conns[target] = st
		}
		if st.call == nil && !st.expires.IsZero() && c.cfg.Now().Before(st.expires) {
			id := st.id
			c.mu.Unlock()
			return id, true, nil
		}
		if call := st.call; call != nil {
			c.sharing++
			c.mu.Unlock()
			var err error
			select {
			case <-call.done:
			case <-ctx.Done():
				err = ctxErr(ctx)
			case <-c.closed:
				err = ErrClosed
			}
			c.mu.Lock()
			c.sharing--
			c.mu.Unlock()
			if err != nil {
				return 0, false, err
			}
			if call.abandoned {
				continue
			}
			return call.id, false, call.err
		}
		call := &connectCall{done: make(chan struct{})}
		st.call = call
		c.mu.Unlock()

		id, err := c.connect(ctx, target)

		c.mu.Lock()
		st.call = nil
		if err == nil {
			st.id, st.expires = id, c.cfg.Now().Add(c.cfg.ConnIDTTL)
		}
		call.id, call.err = id, err
		call.abandoned = err != nil && ctx.Err() != nil
		close(call.done)
		c.mu.Unlock()
		return id, false, err
	}
}

// forget drops target's connection id if it is still id: the tracker
// refused or ignored a request made with it (it may have restarted).
func (c *Client) forget(target netip.AddrPort, id uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.conns[target]; st != nil && st.call == nil && st.id == id {
		st.expires = time.Time{}
	}
}

// sweepLocked drops expired cache entries once the cache is large.
func (c *Client) sweepLocked() {
	if len(c.conns) < maxConnStates {
		return
	}
	now := c.cfg.Now()
	for k, st := range c.conns {
		if st.call == nil && !now.Before(st.expires) {
			delete(c.conns, k)
		}
	}
}

func (c *Client) connect(ctx context.Context, target netip.AddrPort) (uint64, error) {
	tx, w := c.register(target)
	defer c.unregister(tx)
	p, err := c.exchange(ctx, target, w, AppendConnect(nil, tx), ActionConnect)
	if err != nil {
		return 0, err
	}
	return p.ConnectionID, nil
}

// exchange sends pkt to target and waits for the reply of the expected
// action, retransmitting after RetransmitBase·2^n until MaxRetries are
// spent or ctx ends. The transaction id stays the same across
// retransmissions, so a slow reply to an earlier copy is still taken.
// Replies that do not parse, or carry another action, are ignored (as
// libtorrent does): a garbage packet must not end a good exchange.
func (c *Client) exchange(ctx context.Context, target netip.AddrPort, w *waiter, pkt []byte, want Action) (Packet, error) {
	dst := net.UDPAddrFromAddrPort(target)
	ipv6 := target.Addr().Is6()
	if _, err := c.conn.WriteTo(pkt, dst); err != nil {
		return Packet{}, c.writeErr(err)
	}
	wait := c.cfg.RetransmitBase
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for retries := 0; ; {
		select {
		case <-ctx.Done():
			return Packet{}, ctxErr(ctx)
		case <-c.closed:
			return Packet{}, ErrClosed
		case <-c.readDone:
			return Packet{}, c.readErr
		case b := <-w.ch:
			p, err := ParsePacket(b, ipv6)
			switch {
			case err != nil:
				continue
			case p.Action == ActionError:
				return p, p.Err
			case p.Action != want:
				continue
			}
			return p, nil
		case <-timer.C:
			if retries >= c.cfg.MaxRetries {
				return Packet{}, fmt.Errorf("%w: %v after %d sends to %v", ErrTimeout, want, retries+1, target)
			}
			retries++
			wait = min(2*wait, maxRetransmitWait)
			if _, err := c.conn.WriteTo(pkt, dst); err != nil {
				return Packet{}, c.writeErr(err)
			}
			timer.Reset(wait)
		}
	}
}

func (c *Client) writeErr(err error) error {
	select {
	case <-c.closed:
		return ErrClosed
	default:
		return fmt.Errorf("udptracker: send: %w", err)
	}
}

// ctxErr wraps the context's error so errors.Is(err, context.Canceled /
// DeadlineExceeded) holds for callers.
func ctxErr(ctx context.Context) error {
	err := ctx.Err()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, err) {
		return fmt.Errorf("udptracker: %w (%w)", err, cause)
	}
	return fmt.Errorf("udptracker: %w", err)
}

func (a Action) String() string {
	switch a {
	case ActionConnect:
		return "connect"
	case ActionAnnounce:
		return "announce"
	case ActionScrape:
		return "scrape"
	case ActionError:
		return "error"
	}
	return fmt.Sprintf("action(%d)", uint32(a))
}
