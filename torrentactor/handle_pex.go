package torrentactor

import (
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/internal/pex"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Peer exchange (BEP 11, ut_pex): the torrent tells each peer that speaks
// it of its other peers — the full list soon after the peer's extension
// handshake, then every minute the torrent-wide diff (internal/pex
// decides what goes in) — and puts the peers it is told of in its list
// (source pex). A private torrent does neither (BEP 27). The tick that
// drives it runs anyway while the torrent has connections.

// pexing holds the PEX methods.
type pexing struct{ *Actor }

// pexState is made with the first extension handshake.
type pexState struct {
	builder pex.Builder
	peers   map[messages.PeerKey]*pexPeer
}

// pexPeer is what PEX knows of a connection: whether it speaks ut_pex,
// its listen port (the "p" of its handshake: how others reach a peer
// that connected to us) and what it was sent.
type pexPeer struct {
	speaks     bool
	listenPort uint16
	out        pex.Outbound
}

func (a pexing) private() bool { return a.info != nil && a.info.Private }

// noteHandshake records a peer's extension handshake.
func (a pexing) noteHandshake(m *messages.PeerExtHandshake) {
	if a.private() || a.peers.get(m.Key) == nil {
		return
	}
	if a.pex == nil {
		a.pex = &pexState{peers: make(map[messages.PeerKey]*pexPeer)}
	}
	pp := a.pex.peers[m.Key]
	if pp == nil {
		pp = &pexPeer{}
		a.pex.peers[m.Key] = pp
	}
	pp.speaks, pp.listenPort = m.UTPex, m.ListenPort
}

// voteExternalIP passes a peer's view of our address (its yourip) to the
// session, which decides our external address (internal/ipvoter).
func voteExternalIP(ctx actor.Context, a *Actor, m *messages.PeerExtHandshake) {
	p := a.peers.get(m.Key)
	if p == nil || !m.YourIP.IsValid() {
		return
	}
	if ap, err := netip.ParseAddrPort(p.addr); err == nil {
		ctx.Send(a.cfg.Session, &messages.ExternalIPVote{IP: m.YourIP, Source: ap.Addr()})
	}
}

// handlePeerPEX puts the peers a remote told us of in the list.
func (a pexing) handlePeerPEX(ctx actor.Context, m *messages.PeerPEX) {
	if a.private() {
		return
	}
	peerList{a.Actor}.addPeers(ctx, peerlist.FromPEX, m.Added)
}

// tick sends what is due: a peer's first full list, the minute's diff.
func (a pexing) tick(ctx actor.Context, now time.Time) {
	s := a.pex
	if s == nil || a.private() {
		return
	}
	for k := range s.peers {
		if p := a.peers.get(k); p == nil || p.closed {
			delete(s.peers, k)
		}
	}
	known := a.sendable()
	s.builder.Update(now, known)
	for k, pp := range s.peers {
		p := a.peers.get(k)
		if !pp.speaks || p.leaving || !p.connected {
			continue
		}
		due, first := pp.out.Due(now)
		if !due {
			continue
		}
		var payload []byte
		if first {
			self, _ := netip.ParseAddrPort(p.addr)
			if p.incoming && pp.listenPort != 0 {
				// It is in known at its listen address: not told
				// of itself.
				self = netip.AddrPortFrom(self.Addr(), pp.listenPort)
			}
			// Nothing to tell yet: asked again next tick, so that the
			// first list is not an empty one followed only by diffs.
			if payload = pex.Full(known, unmap(self)); payload == nil {
				continue
			}
		} else {
			payload = s.builder.Diff()
		}
		pp.out.Sent(now)
		if payload != nil {
			ctx.Send(p.pid, &messages.SendPEX{Payload: payload})
		}
	}
}

// sendable are the connected peers others may be told of, with the
// address they listen on (pex.Sendable): those we connected to, and
// those that connected to us and said their listen port.
func (a pexing) sendable() []pex.Peer {
	var out []pex.Peer
	for p := range a.peers.open() {
		if p.leaving || !p.connected {
			continue
		}
		ap, err := netip.ParseAddrPort(p.addr)
		if err != nil {
			continue
		}
		ap = unmap(ap)
		var port uint16
		if pp := a.pex.peers[p.key]; pp != nil {
			port = pp.listenPort
		}
		if !pex.Sendable(!p.incoming, port != 0, true) {
			continue
		}
		var f pex.Flags
		if p.incoming {
			ap = netip.AddrPortFrom(ap.Addr(), port)
		} else {
			f |= pex.FlagOutgoing
		}
		if p.stats.IsSeed {
			f |= pex.FlagSeed
		}
		if p.utp {
			f |= pex.FlagUTP // as libtorrent's ut_pex: connected over uTP
		}
		out = append(out, pex.Peer{Addr: ap, Flags: f})
	}
	return out
}

func unmap(ap netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}
