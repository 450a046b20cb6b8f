package announcer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/messages"
)

// apply_ip_filter_to_trackers: a torrent that applies the IP filter does
// not announce to (nor scrape) a tracker at an address the filter blocks,
// as libtorrent, which gives each announce the filter and lets its HTTP
// and UDP connections drop the blocked addresses after resolving the
// name. Our clients are the session's, shared by every torrent, and the
// filter is per announce (a torrent without FlagApplyIPFilter announces
// unfiltered), so the announce's context carries it:
//
//   - a tracker named by address is checked before anything is sent
//     (checkTrackerHost);
//   - an HTTP tracker named by host name is dialled by FilteredDial,
//     which resolves the name itself and dials only allowed addresses
//     (redirects included); filtered announces use their own HTTP client
//     (Clients.FilteredHTTP), so a connection kept alive for an
//     unfiltered announce is never reused past the filter;
//   - a UDP tracker named by host name is resolved by FilteredResolve.
//
// A tracker whose every address is blocked fails with
// messages.ErrBannedByIPFilter (libtorrent's banned_by_ip_filter), in a
// tracker_error alert.

// ipFilterKey is the context key of an announce's IP filter.
type ipFilterKey struct{}

// withIPFilter returns ctx carrying f (nil: ctx as is).
func withIPFilter(ctx context.Context, f *ipfilter.IPFilter) context.Context {
	if f == nil {
		return ctx
	}
	return context.WithValue(ctx, ipFilterKey{}, f)
}

// ipFilterFrom is the filter an announce must honour; nil for none.
func ipFilterFrom(ctx context.Context) *ipfilter.IPFilter {
	f, _ := ctx.Value(ipFilterKey{}).(*ipfilter.IPFilter)
	return f
}

func blocked(f *ipfilter.IPFilter, a netip.Addr) bool {
	return f.Access(a)&ipfilter.Blocked != 0
}

// errTrackerBlocked is the error of a tracker whose addresses are all
// blocked.
func errTrackerBlocked(host string) error {
	return fmt.Errorf("%w: tracker %s", messages.ErrBannedByIPFilter, host)
}

// checkTrackerHost fails a tracker URL whose host is an address the
// context's filter blocks. Host names pass: they are checked once
// resolved.
func checkTrackerHost(ctx context.Context, rawURL string) error {
	f := ipFilterFrom(ctx)
	if f == nil {
		return nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil // the client reports the bad URL
	}
	if a, err := netip.ParseAddr(u.Hostname()); err == nil && blocked(f, a) {
		return errTrackerBlocked(u.Hostname())
	}
	return nil
}

// allowed drops the addresses f blocks, keeping the resolver's order.
func allowed(f *ipfilter.IPFilter, addrs []netip.Addr) []netip.Addr {
	out := addrs[:0:0]
	for _, a := range addrs {
		if !blocked(f, a) {
			out = append(out, a)
		}
	}
	return out
}

// lookup resolves host (an address is itself) and drops what the
// context's filter blocks; network is "ip", "ip4" or "ip6".
func lookup(ctx context.Context, r *net.Resolver, network, host string) ([]netip.Addr, error) {
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else if addrs, err = r.LookupNetIP(ctx, network, host); err != nil {
		return nil, err
	}
	f := ipFilterFrom(ctx)
	if f == nil {
		return addrs, nil
	}
	if ok := allowed(f, addrs); len(ok) > 0 {
		return ok, nil
	}
	return nil, errTrackerBlocked(host)
}

// FilteredResolve is udptracker.Config.Resolve for the session's UDP
// tracker client: the system resolver, less the addresses the
// announce's IP filter blocks.
func FilteredResolve(ctx context.Context, host string) ([]netip.Addr, error) {
	return lookup(ctx, net.DefaultResolver, "ip", host)
}

// FilteredDial returns httptracker.Options.DialContext for the HTTP client
// of filtered announces: it resolves the host itself, drops the addresses
// the announce's IP filter blocks, and dials the others in the resolver's
// order until one answers. Without a filter in the context it dials as d
// does.
func FilteredDial(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if ipFilterFrom(ctx) == nil {
			return d.DialContext(ctx, network, addr)
		}
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		ipNet := "ip"
		switch network {
		case "tcp4":
			ipNet = "ip4"
		case "tcp6":
			ipNet = "ip6"
		}
		addrs, err := lookup(ctx, d.Resolver, ipNet, host)
		if err != nil {
			return nil, err
		}
		var errs []error
		for _, a := range addrs {
			c, err := d.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
			if err == nil {
				return c, nil
			}
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
		}
		return nil, errors.Join(errs...)
	}
}

// SetFilter tells the announcer which IP filter its announces
// honour from now on (nil: none).
type SetFilter struct{ Filter *ipfilter.IPFilter }
