package peeractor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/settings"
)

// DialFunc connects to a peer over uTP: the session's uTP socket's
// DialContext. It is called on the peer's dial goroutine.
type DialFunc func(ctx context.Context, addr netip.AddrPort) (net.Conn, error)

// ErrNoTransport: neither enable_outgoing_utp (with a uTP socket and a
// numeric address) nor enable_outgoing_tcp lets us connect.
var ErrNoTransport = errors.New("peeractor: no transport may connect out (enable_outgoing_tcp and enable_outgoing_utp)")

// utpFailed is the dial goroutine's word that the uTP connect failed: the
// actor tells its torrent (messages.PeerUTPFailed).
type utpFailed struct{}

// outgoing is one outgoing connect as libtorrent makes it: over uTP first
// when enable_outgoing_utp is on, the session has a uTP socket and the
// peer list does not know the peer to lack uTP (tryUTP); when that connect fails,
// over TCP at once (libtorrent's fast reconnect) if enable_outgoing_tcp
// is on. Each attempt has peer_connect_timeout of its own.
type outgoing struct {
	cfg *Config
	set *settings.Snapshot
	// failedUTP runs when the uTP connect failed, fellBack when TCP is
	// tried after it.
	failedUTP, fellBack func()
}

// tryUTP reports whether the first attempt is over uTP, and to where. A
// peer known to lack uTP is still tried over it when TCP may not dial (as
// libtorrent's connect_to_peer: uTP when !enable_outgoing_tcp or the peer
// supports it).
func (o outgoing) tryUTP() (netip.AddrPort, bool) {
	if o.cfg.DialUTP == nil || !o.set.Bool(settings.EnableOutgoingUTP) ||
		o.cfg.NoUTP && o.set.Bool(settings.EnableOutgoingTCP) {
		return netip.AddrPort{}, false
	}
	ap, err := netip.ParseAddrPort(o.cfg.Addr)
	return ap, err == nil // a host name goes over TCP, which resolves it
}

// utpConnectTimeout bounds a uTP connect: the SYN and its resends, each
// waiting up to utp_connect_timeout (libtorrent gives up on a SYN after
// utp_syn_resends timeouts), within peer_connect_timeout. A peer that
// does not speak uTP answers nothing, and this is how long the fallback
// to TCP waits for that.
func utpConnectTimeout(set *settings.Snapshot) time.Duration {
	syn := time.Duration(set.Int(settings.UTPConnectTimeout)) * time.Millisecond * time.Duration(set.Int(settings.UTPSynResends)+1)
	return min(syn, set.Seconds(settings.PeerConnectTimeout))
}

// connect returns the connection and whether it is over uTP.
func (o outgoing) connect(parent context.Context) (net.Conn, bool, error) {
	timeout := o.set.Seconds(settings.PeerConnectTimeout)
	if ap, ok := o.tryUTP(); ok {
		ctx, cancel := context.WithTimeout(parent, utpConnectTimeout(o.set))
		conn, err := o.cfg.DialUTP(ctx, ap)
		cancel()
		if err == nil {
			return conn, true, nil
		}
		o.failedUTP()
		if !o.set.Bool(settings.EnableOutgoingTCP) || parent.Err() != nil {
			return nil, true, fmt.Errorf("peeractor: connect %s over uTP: %w", o.cfg.Addr, err)
		}
		o.fellBack()
	} else if !o.set.Bool(settings.EnableOutgoingTCP) {
		return nil, false, ErrNoTransport
	}
	d := net.Dialer{Timeout: timeout}
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", o.cfg.Addr)
	if err != nil {
		return nil, false, fmt.Errorf("peeractor: connect %s: %w", o.cfg.Addr, err)
	}
	return conn, false, nil
}
