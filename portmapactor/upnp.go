package portmapactor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"time"

	"github.com/actorrent/actorrent/internal/portmap"
	"github.com/huin/goupnp"
	"github.com/huin/goupnp/dcps/internetgateway2"
)

var errNoGateway = errors.New("no gateway found")

// igdClient is what the WAN connection services of goupnp have in common
// (WANIPConnection2, WANIPConnection1, WANPPPConnection1).
type igdClient interface {
	AddPortMappingCtx(ctx context.Context, remoteHost string, extPort uint16, proto string, intPort uint16,
		intClient string, enabled bool, desc string, lease uint32) error
	DeletePortMappingCtx(ctx context.Context, remoteHost string, extPort uint16, proto string) error
	GetExternalIPAddressCtx(ctx context.Context) (string, error)
	GetServiceClient() *goupnp.ServiceClient
}

// upnpGateway is an IGD's WAN connection service.
type upnpGateway struct {
	c       igdClient
	service string
}

// description is what the mappings are called on the router's page.
const description = "actorrent"

func (g *upnpGateway) Describe() string {
	sc := g.c.GetServiceClient()
	return fmt.Sprintf("%s at %s", g.service, sc.Location)
}

func (g *upnpGateway) ExternalIP(ctx context.Context) (netip.Addr, error) {
	s, err := g.c.GetExternalIPAddressCtx(ctx)
	if err != nil {
		return netip.Addr{}, err
	}
	return netip.ParseAddr(s)
}

func (g *upnpGateway) Add(ctx context.Context, m portmap.Mapping, lease time.Duration) (uint16, time.Duration, error) {
	// The internal client is our address on the network the IGD is on:
	// the one goupnp's connection to it came from.
	local, err := localAddr(g.c.GetServiceClient())
	if err != nil {
		return 0, 0, err
	}
	err = g.c.AddPortMappingCtx(ctx, "", m.External, m.Protocol.String(), m.Local, local.String(), true,
		description, uint32(lease/time.Second))
	if err != nil {
		return 0, 0, err
	}
	return m.External, lease, nil
}

func (g *upnpGateway) Delete(ctx context.Context, m portmap.Mapping) error {
	return g.c.DeletePortMappingCtx(ctx, "", m.External, m.Protocol.String())
}

// The services tried, best first: IGDv2's WANIPConnection:2, then v1's
// WANIPConnection:1, then WANPPPConnection:1 (PPPoE routers).
var upnpServices = []struct {
	name     string
	byURL    func(context.Context, *url.URL) ([]igdClient, error)
	discover func(context.Context) ([]igdClient, error)
}{
	{"WANIPConnection:2",
		func(ctx context.Context, u *url.URL) ([]igdClient, error) {
			return clients(internetgateway2.NewWANIPConnection2ClientsByURLCtx(ctx, u))
		},
		func(ctx context.Context) ([]igdClient, error) {
			return clients(dropErrs(internetgateway2.NewWANIPConnection2ClientsCtx(ctx)))
		}},
	{"WANIPConnection:1",
		func(ctx context.Context, u *url.URL) ([]igdClient, error) {
			return clients(internetgateway2.NewWANIPConnection1ClientsByURLCtx(ctx, u))
		},
		func(ctx context.Context) ([]igdClient, error) {
			return clients(dropErrs(internetgateway2.NewWANIPConnection1ClientsCtx(ctx)))
		}},
	{"WANPPPConnection:1",
		func(ctx context.Context, u *url.URL) ([]igdClient, error) {
			return clients(internetgateway2.NewWANPPPConnection1ClientsByURLCtx(ctx, u))
		},
		func(ctx context.Context) ([]igdClient, error) {
			return clients(dropErrs(internetgateway2.NewWANPPPConnection1ClientsCtx(ctx)))
		}},
}

func clients[C igdClient](cs []C, err error) ([]igdClient, error) {
	out := make([]igdClient, len(cs))
	for i, c := range cs {
		out[i] = c
	}
	return out, err
}

// dropErrs keeps the clients of the devices that answered: the
// per-device errors are devices that are not IGDs of that service.
func dropErrs[C any](cs []C, _ []error, err error) ([]C, error) { return cs, err }

// upnpAt uses the IGD whose device description is at loc.
func upnpAt(ctx context.Context, loc string) (Gateway, error) {
	u, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, s := range upnpServices {
		cs, err := s.byURL(ctx, u)
		if err == nil && len(cs) > 0 {
			return &upnpGateway{c: cs[0], service: s.name}, nil
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return nil, fmt.Errorf("%w at %s: %w", errNoGateway, loc, errors.Join(errs...))
}

// discoverUPnP searches by SSDP (goupnp multicasts on every interface
// but loopback).
func discoverUPnP(ctx context.Context) (Gateway, error) {
	var errs []error
	for _, s := range upnpServices {
		cs, err := s.discover(ctx)
		if err == nil && len(cs) > 0 {
			return &upnpGateway{c: cs[0], service: s.name}, nil
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return nil, fmt.Errorf("UPnP: %w: %w", errNoGateway, errors.Join(errs...))
}

// localAddr is our address towards the IGD: the one the kernel routes
// to it from (a UDP "connect" sends nothing), which is also where our
// SOAP requests come from; IGDs in secure mode (miniupnpd's default) map
// only to the address that asks. The address SSDP found it from is the
// fallback.
func localAddr(sc *goupnp.ServiceClient) (net.IP, error) {
	host := sc.Location.Hostname()
	c, err := net.Dial("udp", net.JoinHostPort(host, "1900"))
	if err != nil {
		if ip := sc.LocalAddr(); ip != nil {
			return ip, nil
		}
		return nil, fmt.Errorf("no local address towards the gateway %s: %w", host, err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).IP, nil
}
