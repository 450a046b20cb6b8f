package portmapactor

import (
	"context"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/portmap"
)

// Gateway is one gateway found by one transport: what the actor asks of
// it. Every call blocks (network I/O); the actor makes them on
// goroutines of its own, with a context it cancels when it stops.
type Gateway interface {
	// Describe names the gateway in portmap_log alerts.
	Describe() string
	// ExternalIP is the gateway's external address.
	ExternalIP(ctx context.Context) (netip.Addr, error)
	// Add maps m for lease (renewing it when it is mapped); it returns
	// the external port and the lease the gateway gave (0: permanent).
	Add(ctx context.Context, m portmap.Mapping, lease time.Duration) (external uint16, given time.Duration, err error)
	// Delete removes m.
	Delete(ctx context.Context, m portmap.Mapping) error
}

// Discoverer finds the gateway of a transport. Tests give one that
// returns fake gateways on loopback; the default (Default) searches the
// network: SSDP for UPnP, the default route's gateway for NAT-PMP.
type Discoverer interface {
	Discover(ctx context.Context, tr portmap.Transport) (Gateway, error)
}

// DiscovererFunc is a Discoverer as a function.
type DiscovererFunc func(ctx context.Context, tr portmap.Transport) (Gateway, error)

// Discover calls f.
func (f DiscovererFunc) Discover(ctx context.Context, tr portmap.Transport) (Gateway, error) {
	return f(ctx, tr)
}

// Default discovers the real gateways: UPnP IGDs by SSDP multicast
// (239.255.255.250:1900), NAT-PMP at the default route's gateway.
var Default Discoverer = DiscovererFunc(func(ctx context.Context, tr portmap.Transport) (Gateway, error) {
	if tr == portmap.UPnP {
		return discoverUPnP(ctx)
	}
	return discoverNATPMP()
})

// AtURLs is a Discoverer for known gateways (tests, or a user who knows
// them): UPnP through the IGD whose device description is at upnp (empty:
// none), NAT-PMP at natpmp (invalid: none).
func AtURLs(upnp string, natpmp netip.Addr) Discoverer {
	return DiscovererFunc(func(ctx context.Context, tr portmap.Transport) (Gateway, error) {
		if tr == portmap.UPnP {
			if upnp == "" {
				return nil, errNoGateway
			}
			return upnpAt(ctx, upnp)
		}
		if !natpmp.IsValid() {
			return nil, errNoGateway
		}
		return natpmpAt(natpmp), nil
	})
}
