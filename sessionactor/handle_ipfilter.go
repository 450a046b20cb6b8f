package sessionactor

import (
	"github.com/actorrent/actorrent/torrentactor/announcer"
	"net"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/tracker/httptracker"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// The session owns the IP and port filters (libtorrent's session_impl
// m_ip_filter and m_port_filter). Each is an immutable snapshot: a new
// filter replaces the pointer, and every torrent gets the new pointers
// (FiltersChanged), so nobody copies a filter of 100k ranges per torrent
// and nobody reads one while it changes. The torrents apply them: the IP
// filter to the peers of torrents added with FlagApplyIPFilter, from
// every source and in both directions; the port filter to the peers every
// torrent connects to.

// filters are the session's current snapshots; nil allows everything.
type filters struct {
	ip   *ipfilter.IPFilter
	port *ipfilter.PortFilter
}

func (a *Actor) handleSetIPFilter(ctx actor.Context, m *messages.SetIPFilter) {
	a.filters.ip = m.Filter
	if a.trk.own != nil {
		// Kept-alive tracker connections were dialled under the old
		// filter; the next announces dial again under the new one.
		a.trk.own.closeFilteredIdle()
	}
	a.filtersChanged(ctx)
	ctx.Respond(&messages.Ack{})
}

func (a *Actor) handleSetPortFilter(ctx actor.Context, m *messages.SetPortFilter) {
	a.filters.port = m.Filter
	a.filtersChanged(ctx)
	ctx.Respond(&messages.Ack{})
}

// filtersChanged hands every torrent the current filters.
func (a *Actor) filtersChanged(ctx actor.Context) {
	msg := &messages.FiltersChanged{IP: a.filters.ip, Port: a.filters.port}
	for _, e := range a.torrents {
		ctx.Send(e.pid, msg)
	}
}

// refuseIncoming posts peer_blocked for an incoming connection the
// session closes because it does not accept connections of its transport
// (enable_incoming_tcp, enable_incoming_utp; libtorrent posts it with no
// torrent: the session refuses before any torrent sees the peer).
// Connections closed for other reasons (an unknown torrent, a closing
// session) are not blocked peers.
func (a *Actor) refuseIncoming(ctx actor.Context, m *messages.IncomingConnection) {
	if (utpTransport{a}).incomingEnabled(m.UTP) {
		return
	}
	reason := messages.BlockedTCPDisabled
	if m.UTP {
		reason = messages.BlockedUTPDisabled
	}
	a.post(ctx, &messages.PeerBlockedAlert{
		PeerAlertHeader: messages.PeerHeader(messages.InfoHash{}, m.Conn.RemoteAddr().String(), [20]byte{}), Reason: reason})
}

// newFilteredHTTP is the HTTP tracker client of the announces the IP
// filter applies to (torrentactor/announce_filter.go): its own
// connections, dialled only to addresses the filter allows.
func newFilteredHTTP(s *settings.Snapshot) *httptracker.Client {
	o := httpOptions(s)
	o.DialContext = announcer.FilteredDial(&net.Dialer{})
	return httptracker.New(o)
}

// closeFilteredIdle drops the filtered client's kept-alive connections.
func (c *trackerClients) closeFilteredIdle() {
	c.mu.Lock()
	cl := c.cur
	c.mu.Unlock()
	if cl.FilteredHTTP != nil {
		cl.FilteredHTTP.CloseIdleConnections()
	}
}
