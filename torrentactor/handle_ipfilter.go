package torrentactor

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/actorrent/actorrent/internal/ipfilter"
	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/torrentactor/announcer"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// filters apply the session's IP and port filters to the torrent's peers and trackers. A view of
// the actor, not a part of it: the state stays in the actor (1000 of its size class's 1024 bytes),
// the type names the concern's methods.
type filters struct{ *Actor }

// The session's IP and port filters, as libtorrent's torrent applies
// them:
//   - the IP filter only in a torrent added with FlagApplyIPFilter (or
//     whose resume data says apply_ip_filter), to every peer: from
//     trackers, resume data and ConnectPeer before it enters the peer
//     list, and to incoming connections after their handshake (the
//     handshake names the torrent, and a torrent may opt out);
//   - the port filter in every torrent, to the peers it would connect to
//     (an incoming peer's port is an ephemeral one, not a service);
//   - a new filter disconnects the connected peers it blocks and forgets
//     the listed ones (torrent::ip_filter_updated, port_filter_updated).
//
// Each refusal posts peer_blocked with the reason.

// resolveTimeout bounds the lookup of a ConnectPeer host name.
const resolveTimeout = 10 * time.Second

// filterState is what the torrent knows of the session's filters.
type filterState struct {
	ip   *ipfilter.IPFilter   // the session's snapshot; nil allows all
	port *ipfilter.PortFilter // likewise
	// apply: the IP filter applies to this torrent (FlagApplyIPFilter).
	apply bool
	// trackers is the filter the announcer was last given.
	trackers *ipfilter.IPFilter
}

// blockReason says why the filters refuse a peer at ap, if they do;
// outgoing: we would connect to it (the port filter is about the ports we
// connect to).
func (f filterState) blockReason(ap netip.AddrPort, outgoing bool) (messages.PeerBlockedReason, bool) {
	if f.apply && f.ip.Access(ap.Addr())&ipfilter.Blocked != 0 {
		return messages.BlockedIPFilter, true
	}
	if outgoing && f.port.Access(ap.Port())&ipfilter.Blocked != 0 {
		return messages.BlockedPortFilter, true
	}
	return 0, false
}

// blockedError is the error a peer disconnected for reason r closes with.
func blockedError(r messages.PeerBlockedReason) error {
	if r == messages.BlockedPortFilter {
		return messages.ErrBannedByPortFilter
	}
	return messages.ErrBannedByIPFilter
}

// initFilters takes the filters the torrent was added with.
func (a filters) initFilters() {
	a.flt = filterState{ip: a.cfg.IPFilter, port: a.cfg.PortFilter, apply: a.cfg.Flags&messages.FlagApplyIPFilter != 0}
}

// refusePeer reports whether the filters refuse the peer at ap, and posts
// peer_blocked when they do.
func (a filters) refusePeer(ctx actor.Context, ap netip.AddrPort, outgoing bool) bool {
	r, blocked := a.flt.blockReason(ap, outgoing)
	if !blocked && outgoing && ap.Port() < 1024 && a.set.Bool(settings.NoConnectPrivilegedPorts) {
		// no_connect_privileged_ports: a swarm must not make us knock on
		// other services' ports (libtorrent's add_peer refuses them).
		r, blocked = messages.BlockedPrivilegedPorts, true
	}
	if blocked {
		a.postBlocked(ctx, ap.String(), r)
	}
	return blocked
}

func (a filters) postBlocked(ctx actor.Context, addr string, r messages.PeerBlockedReason) {
	a.post(ctx, &messages.PeerBlockedAlert{PeerAlertHeader: messages.PeerHeader(a.ih, addr, [20]byte{}), Reason: r})
}

// handleFiltersChanged takes the session's new filters: connected peers
// they block are disconnected (peer_blocked, then peer_disconnected with
// ErrBannedByIPFilter or ErrBannedByPortFilter), listed ones forgotten,
// and the announcer told.
func (a filters) handleFiltersChanged(ctx actor.Context, m *messages.FiltersChanged) {
	a.flt.ip, a.flt.port = m.IP, m.Port
	for p := range a.peers.all() {
		if p.closed || p.leaving {
			continue
		}
		ap, ok := parseAddrPort(p.addr)
		if !ok {
			continue // dialled by host name before any filter applied
		}
		if r, blocked := a.flt.blockReason(ap, !p.incoming); blocked {
			p.leaving = true
			a.postBlocked(ctx, p.addr, r)
			ctx.Send(p.pid, &messages.Disconnect{Err: blockedError(r)})
		}
	}
	a.plist.Drop(func(p peerlist.Peer) bool {
		_, blocked := a.flt.blockReason(p.Addr, p.Source != peerlist.FromIncoming)
		return blocked
	})
	a.syncTrackerFilter(ctx, false)
}

// trackerFilter is the filter announces honour: the IP filter, when it
// applies to the torrent and apply_ip_filter_to_trackers is on.
func (a filters) trackerFilter() *ipfilter.IPFilter {
	if !a.flt.apply || a.flt.ip.Empty() || !a.set.Bool(settings.ApplyIPFilterToTrackers) {
		return nil
	}
	return a.flt.ip
}

// syncTrackerFilter gives the announcer the filter when it changed (or
// always, after the announcer was restarted).
func (a filters) syncTrackerFilter(ctx actor.Context, always bool) {
	f := a.trackerFilter()
	if a.trk.pid == nil || (f == a.flt.trackers && !always) {
		return
	}
	a.flt.trackers = f
	ctx.Send(a.trk.pid, &announcer.SetFilter{Filter: f})
}

// connectByName handles a ConnectPeer to a host name (not an address)
// when a filter could refuse it, and reports whether it did: a blocked
// port is refused at once; under the IP filter the name is resolved on a
// goroutine and its first address comes back as a ConnectPeer of its own,
// which meets the filter like any other (libtorrent also resolves a
// peer's name before it adds the peer). Without a filter the peer actor
// dials the name itself.
func (a filters) connectByName(ctx actor.Context, addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false // the dial reports it
	}
	if n, err := strconv.ParseUint(port, 10, 16); err == nil && a.flt.port.Access(uint16(n))&ipfilter.Blocked != 0 {
		a.postBlocked(ctx, addr, messages.BlockedPortFilter)
		return true
	}
	if !a.flt.apply || a.flt.ip.Empty() {
		return false
	}
	root, self, log := ctx.ActorSystem().Root, ctx.Self(), a.log
	go func() {
		rctx, cancel := context.WithTimeout(context.Background(), resolveTimeout)
		defer cancel()
		addrs, err := net.DefaultResolver.LookupNetIP(rctx, "ip", host)
		if err != nil || len(addrs) == 0 {
			log.Debug("peer name does not resolve", zap.String("peer", addr), zap.Error(err))
			return
		}
		root.Send(self, &messages.ConnectPeer{Addr: net.JoinHostPort(addrs[0].Unmap().String(), port)})
	}()
	return true
}
