package portmapactor

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/actorrent/actorrent/internal/portmap"
	"github.com/jackpal/gateway"
	natpmp "github.com/jackpal/go-nat-pmp"
)

// natpmpTimeout bounds one NAT-PMP request with its retries (the
// library's own schedule, 250 ms doubling, would take a minute).
const natpmpTimeout = 8 * time.Second

// natpmpGateway is a NAT-PMP gateway (RFC 6886) at its UDP port 5351
// (the library's port, which it does not let us change).
type natpmpGateway struct {
	addr netip.Addr
	c    *natpmp.Client
}

func natpmpAt(addr netip.Addr) *natpmpGateway {
	return &natpmpGateway{addr: addr, c: natpmp.NewClientWithTimeout(addr.AsSlice(), natpmpTimeout)}
}

// discoverNATPMP asks at the default route's gateway.
func discoverNATPMP() (Gateway, error) {
	ip, err := gateway.DiscoverGateway()
	if err != nil {
		return nil, fmt.Errorf("NAT-PMP: %w: %w", errNoGateway, err)
	}
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return nil, fmt.Errorf("NAT-PMP: %w: %v", errNoGateway, ip)
	}
	return natpmpAt(addr.Unmap()), nil
}

func (g *natpmpGateway) Describe() string { return "NAT-PMP at " + g.addr.String() }

// The library's calls take no context: each runs on a goroutine of the
// caller's, and a cancelled caller stops waiting (the call ends by its
// own timeout).
func await[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type res struct {
		v   T
		err error
	}
	ch := make(chan res, 1)
	go func() {
		v, err := f()
		ch <- res{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func (g *natpmpGateway) ExternalIP(ctx context.Context) (netip.Addr, error) {
	r, err := await(ctx, g.c.GetExternalAddress)
	if err != nil {
		return netip.Addr{}, err
	}
	return netip.AddrFrom4(r.ExternalIPAddress), nil
}

func (g *natpmpGateway) Add(ctx context.Context, m portmap.Mapping, lease time.Duration) (uint16, time.Duration, error) {
	r, err := await(ctx, func() (*natpmp.AddPortMappingResult, error) {
		return g.c.AddPortMapping(strings.ToLower(m.Protocol.String()), int(m.Local), int(m.External), int(lease/time.Second))
	})
	if err != nil {
		return 0, 0, err
	}
	if r.PortMappingLifetimeInSeconds == 0 {
		return 0, 0, fmt.Errorf("NAT-PMP: mapping refused (lifetime 0)")
	}
	return r.MappedExternalPort, time.Duration(r.PortMappingLifetimeInSeconds) * time.Second, nil
}

// Delete asks for a lifetime of 0 with external port 0, RFC 6886's
// delete.
func (g *natpmpGateway) Delete(ctx context.Context, m portmap.Mapping) error {
	_, err := await(ctx, func() (*natpmp.AddPortMappingResult, error) {
		return g.c.AddPortMapping(strings.ToLower(m.Protocol.String()), int(m.Local), 0, 0)
	})
	return err
}
