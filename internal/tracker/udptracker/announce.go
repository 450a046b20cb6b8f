package udptracker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Announce announces to the tracker at addr ("host:port", as in
// udp://host:port/announce; see HostPort) and returns its answer. Peers
// are IPv4 if the tracker was reached over IPv4, IPv6 if over IPv6.
//
// If a connection id from the cache is refused or ignored, it is dropped;
// a refusal (the tracker may have restarted and forgotten it) is retried
// once with a fresh connect. ctx bounds the whole call, connect included.
func (c *Client) Announce(ctx context.Context, addr string, req AnnounceRequest) (AnnounceResponse, error) {
	if _, err := AppendAnnounce(nil, 0, 0, req); err != nil {
		return AnnounceResponse{}, err
	}
	target, err := c.resolve(ctx, addr)
	if err != nil {
		return AnnounceResponse{}, err
	}
	p, err := c.request(ctx, target, ActionAnnounce, func(id uint64, tx uint32) []byte {
		b, _ := AppendAnnounce(make([]byte, 0, announceRequestLen), id, tx, req)
		return b
	})
	if err != nil {
		return AnnounceResponse{}, err
	}
	return p.Announce, nil
}

// Scrape asks the tracker at addr for the counts of up to MaxScrapeHashes
// torrents. The result is in the order of hashes; a tracker may answer for
// fewer (a prefix), never more.
func (c *Client) Scrape(ctx context.Context, addr string, hashes ...[20]byte) ([]ScrapeResponse, error) {
	if _, err := AppendScrape(nil, 0, 0, hashes); err != nil {
		return nil, err
	}
	target, err := c.resolve(ctx, addr)
	if err != nil {
		return nil, err
	}
	p, err := c.request(ctx, target, ActionScrape, func(id uint64, tx uint32) []byte {
		b, _ := AppendScrape(make([]byte, 0, scrapeRequestHeader+20*len(hashes)), id, tx, hashes)
		return b
	})
	if err != nil {
		return nil, err
	}
	return p.Scrape[:min(len(p.Scrape), len(hashes))], nil
}

// request runs one announce or scrape: connection id, then the exchange.
func (c *Client) request(ctx context.Context, target netip.AddrPort, want Action, build func(id uint64, tx uint32) []byte) (Packet, error) {
	select {
	case <-c.closed:
		return Packet{}, ErrClosed
	default:
	}
	for attempt := 0; ; attempt++ {
		id, cached, err := c.connID(ctx, target)
		if err != nil {
			return Packet{}, err
		}
		tx, w := c.register(target)
		p, err := c.exchange(ctx, target, w, build(id, tx), want)
		c.unregister(tx)
		if err == nil {
			return p, nil
		}
		if ctx.Err() != nil || errors.Is(err, ErrClosed) {
			return Packet{}, err
		}
		c.forget(target, id)
		var fe *FailureError
		if cached && attempt == 0 && errors.As(err, &fe) {
			continue
		}
		return Packet{}, err
	}
}

// resolve turns "host:port" into the address to send to, keeping only
// addresses the socket can reach: an IPv4 socket cannot send to IPv6 and
// vice versa; a dual-stack ("udp", "[::]:0") socket takes either and the
// resolver's first answer wins.
func (c *Client) resolve(ctx context.Context, addr string) (netip.AddrPort, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return netip.AddrPort{}, fmt.Errorf("%w: %q", ErrBadAddress, addr)
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil || port == 0 {
		return netip.AddrPort{}, fmt.Errorf("%w: port in %q", ErrBadAddress, addr)
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{ip.WithZone("")}
	} else if addrs, err = c.cfg.Resolve(ctx, host); err != nil {
		if ctx.Err() != nil {
			return netip.AddrPort{}, ctxErr(ctx)
		}
		return netip.AddrPort{}, fmt.Errorf("%w: %q: %w", ErrBadAddress, host, err)
	}
	want4, want6 := c.families()
	for _, a := range addrs {
		a = a.Unmap()
		if a.IsValid() && !a.IsUnspecified() && ((a.Is4() && want4) || (a.Is6() && want6)) {
			return netip.AddrPortFrom(a, uint16(port)), nil
		}
	}
	return netip.AddrPort{}, fmt.Errorf("%w: %q has no address this socket (%v) can reach", ErrBadAddress, host, c.conn.LocalAddr())
}

// families reports which address families the socket can send to.
func (c *Client) families() (v4, v6 bool) {
	u, ok := c.conn.LocalAddr().(*net.UDPAddr)
	if !ok {
		return true, true
	}
	switch {
	case len(u.IP) == 0:
		return true, true
	case u.IP.To4() != nil:
		return true, false
	case u.IP.IsUnspecified(): // "::", normally dual-stack
		return true, true
	default:
		return false, true
	}
}

// HostPort extracts "host:port" from a udp:// tracker URL (the path and
// query, BEP 41's extension data, are not used).
func HostPort(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !strings.EqualFold(u.Scheme, "udp") || u.Hostname() == "" || u.Port() == "" {
		return "", fmt.Errorf("%w: %q is not udp://host:port", ErrBadAddress, rawURL)
	}
	return u.Host, nil
}
