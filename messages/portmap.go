package messages

import (
	"net/netip"

	"github.com/actorrent/actorrent/internal/portmap"
)

// Port mapping (UPnP IGD, NAT-PMP): the session and its portmap actor,
// which talks to the gateways.

// PortmapConfig (session → portmap actor): what the settings and the
// listen sockets ask for. Listen are the session's listen addresses:
// the ports of those that are not loopback are mapped, TCP and UDP.
type PortmapConfig struct {
	Listen       []netip.AddrPort
	UPnP, NATPMP bool
}

// ClosePortmap (session → portmap actor): the session closes. The
// mapper deletes its mappings from the gateways (waiting a few seconds
// at most for their answers) and stops itself.
type ClosePortmap struct{}

// AddPortMapping (facade → session → portmap actor) asks the gateways to
// forward External to Local (add_port_mapping); answered with
// AddPortMappingReply.
type AddPortMapping struct {
	Protocol        portmap.Protocol
	External, Local uint16
}

// AddPortMappingReply: the mapping's index (portmap alerts name it).
type AddPortMappingReply struct {
	Index int
	Err   error
}

// DeletePortMapping (facade → session → portmap actor) removes the
// mapping at Index from the gateways (delete_port_mapping); answered
// with DeletePortMappingReply.
type DeletePortMapping struct{ Index int }

// DeletePortMappingReply answers DeletePortMapping.
type DeletePortMappingReply struct{ Err error }
