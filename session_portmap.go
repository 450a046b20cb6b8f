package actorrent

// Port mapping (UPnP IGD and NAT-PMP). enable_upnp and enable_natpmp are
// on by default, as in libtorrent: a session listening on an address that
// is not loopback has its gateway forward the listen port, TCP and UDP,
// found by SSDP multicast (an IGD offering WANIPConnection:2, :1 or
// WANPPPConnection:1) and at the default route's gateway (NAT-PMP). A
// session that listens on loopback only asks nothing of the network until
// AddPortMapping is called, and the project's tests and demo turn both
// settings off. Results come as PortmapAlert, PortmapErrorAlert,
// PortmapLogAlert and ExternalIPAlert (the gateway's external address);
// leases are renewed at two thirds, refusals retried with a backoff, and
// Close deletes the mappings.

import (
	"context"
	"fmt"

	"github.com/actorrent/actorrent/internal/portmap"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/portmapactor"
)

// PortmapProtocol is a port mapping's protocol (libtorrent's
// protocol_type: udp = 1, tcp = 2).
type PortmapProtocol = portmap.Protocol

// The protocols.
const (
	PortmapUDP PortmapProtocol = portmap.UDP
	PortmapTCP PortmapProtocol = portmap.TCP
)

// PortmapTransport says which way a mapping was asked of the gateway, a
// portmap alert's MapType (libtorrent's map_type: 0 NAT-PMP, 1 UPnP).
type PortmapTransport = portmap.Transport

// The transports.
const (
	PortmapNATPMP PortmapTransport = portmap.NATPMP
	PortmapUPnP   PortmapTransport = portmap.UPnP
)

// ErrNoPortMapping answers DeletePortMapping of an index that
// AddPortMapping did not give, or that was deleted.
var ErrNoPortMapping = portmap.ErrNoMapping

// AddPortMapping asks the gateways (UPnP when enable_upnp is on, NAT-PMP
// when enable_natpmp is) to forward external to local on this host
// (add_port_mapping). It returns the mapping's index at once; the
// gateways are found and asked on the port mapper's goroutines, and each
// result is a PortmapAlert or PortmapErrorAlert naming the index. The
// mapping is renewed before its lease ends, retried with a backoff when
// refused, and made again when a transport is turned on.
func (s *Session) AddPortMapping(ctx context.Context, proto PortmapProtocol, external, local int) (int, error) {
	if external < 0 || external > 65535 || local <= 0 || local > 65535 {
		return -1, fmt.Errorf("actorrent: AddPortMapping: ports %d→%d out of range", external, local)
	}
	r, err := s.request(ctx, &messages.AddPortMapping{Protocol: proto, External: uint16(external), Local: uint16(local)})
	if err != nil {
		return -1, err
	}
	rep := r.(*messages.AddPortMappingReply)
	return rep.Index, rep.Err
}

// DeletePortMapping removes the mapping AddPortMapping gave index from
// the gateways (delete_port_mapping).
func (s *Session) DeletePortMapping(ctx context.Context, index int) error {
	r, err := s.request(ctx, &messages.DeletePortMapping{Index: index})
	if err != nil {
		return err
	}
	return r.(*messages.DeletePortMappingReply).Err
}

// withPortmapDiscoverer gives the port mapper fake gateways (tests).
func withPortmapDiscoverer(d portmapactor.Discoverer) Option {
	return func(o *sessionOptions) { o.portmap = d }
}
