package torrentactor

import (
	"net/netip"

	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
)

// utpPeers is the torrent's part in uTP: which transports it may connect
// out over, what its peer list remembers of peers lacking uTP, and the
// socket type (tcp or utp) its peers' classes are looked up with. The
// connects themselves (uTP first, TCP at once after a failed uTP
// connect) are the peer actor's (peeractor/transport.go).
type utpPeers struct{ *Actor }

// canDialOut: some transport may connect out. libtorrent's
// enable_outgoing_tcp off still lets uTP dial, and the other way round.
func (a utpPeers) canDialOut() bool {
	return a.set.Bool(settings.EnableOutgoingTCP) ||
		a.set.Bool(settings.EnableOutgoingUTP) && a.cfg.DialUTP != nil
}

// outgoing is a peer actor's configuration for a connection to addr: NoUTP
// when the list knows the peer lacks uTP, so it goes over TCP at once.
func (a utpPeers) outgoing(addr string) peeractor.Config {
	pc := peeractor.Config{Addr: addr}
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		if p, ok := a.plist.Lookup(ap); ok {
			pc.NoUTP = p.NoUTP
		}
	}
	return pc
}

// connectFailed: the peer's uTP connect failed; the list remembers it
// (libtorrent's supports_utp = false), whether or not TCP then connected.
func (a utpPeers) connectFailed(m *messages.PeerUTPFailed) {
	p := a.peers.get(m.Key)
	if p == nil {
		return
	}
	if ap, ok := parseAddrPort(p.addr); ok {
		a.plist.NoUTP(ap)
	}
}

// socketType is the peer class type filter's name for p's transport.
func socketType(p *peerInfo) ratelimit.SocketType {
	if p != nil && p.utp {
		return ratelimit.UTPSocket
	}
	return ratelimit.TCPSocket
}
