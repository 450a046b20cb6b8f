package messages

import (
	"errors"

	"github.com/actorrent/actorrent/internal/ipfilter"
)

// The session owns one IP filter and one port filter. Every value in these
// messages is an immutable snapshot (ipfilter's sharing rule): whoever
// sends one gave up the right to mutate it, so the session and its
// torrents read it without copies or locks. The facade clones on the way
// in and on the way out.

// SetIPFilter replaces the session's IP filter; reply Ack. Nil is the
// empty filter.
type SetIPFilter struct {
	Filter *ipfilter.IPFilter
}

// GetIPFilter asks for the session's IP filter; reply GetIPFilterReply.
type GetIPFilter struct{}

// GetIPFilterReply is the session's IP filter (nil: none was set).
type GetIPFilterReply struct {
	Filter *ipfilter.IPFilter
}

// SetPortFilter replaces the session's port filter; reply Ack. Nil is the
// empty filter.
type SetPortFilter struct {
	Filter *ipfilter.PortFilter
}

// GetPortFilter asks for the session's port filter; reply
// GetPortFilterReply.
type GetPortFilter struct{}

// GetPortFilterReply is the session's port filter (nil: none was set).
type GetPortFilterReply struct {
	Filter *ipfilter.PortFilter
}

// FiltersChanged hands a torrent the session's filters when either
// changes. A torrent that applies the IP filter drops the peers it now
// blocks (libtorrent's torrent::ip_filter_updated); every torrent drops
// the peers whose port the port filter blocks (port_filter_updated).
type FiltersChanged struct {
	IP   *ipfilter.IPFilter
	Port *ipfilter.PortFilter
}

// Errors of connections and announces the filters refused (libtorrent's
// banned_by_ip_filter and banned_by_port_filter error codes).
var (
	ErrBannedByIPFilter   = errors.New("banned by IP filter")
	ErrBannedByPortFilter = errors.New("banned by port filter")
)

// PeerBlockedReason is libtorrent's peer_blocked_alert::reason_t (same
// values).
type PeerBlockedReason int

// The reasons a peer is blocked. We post IPFilter, PortFilter and
// TCPDisabled; the others are libtorrent's for transports and checks we
// do not have.
const (
	BlockedIPFilter              PeerBlockedReason = 0 // the IP filter blocks its address
	BlockedPortFilter            PeerBlockedReason = 1 // the port filter blocks its port
	BlockedI2PMixed              PeerBlockedReason = 2 // a regular peer in an i2p swarm
	BlockedPrivilegedPorts       PeerBlockedReason = 3 // no_connect_privileged_ports
	BlockedUTPDisabled           PeerBlockedReason = 4 // enable_incoming_utp is off
	BlockedTCPDisabled           PeerBlockedReason = 5 // enable_incoming_tcp is off
	BlockedInvalidLocalInterface PeerBlockedReason = 6 // came in on an interface not to accept on
)

// String is libtorrent's name of the reason (as its message() prints it).
func (r PeerBlockedReason) String() string {
	names := [...]string{"ip_filter", "port_filter", "i2p_mixed", "privileged_ports",
		"utp_disabled", "tcp_disabled", "invalid_local_interface"}
	if r >= 0 && int(r) < len(names) {
		return names[r]
	}
	return "unknown"
}
