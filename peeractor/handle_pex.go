package peeractor

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/pex"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// utPexID is the extension id we ask remotes to send ut_pex with (ours
// to choose; ut_metadata has metadata.UTMetadataID).
const utPexID = 1

// pexState is the ut_pex side of a connection: the id the remote wants
// (0: it does not speak it) and the limits on what it sends
// (internal/pex.Inbound).
type pexState struct {
	remoteID uint8
	in       pex.Inbound
}

// offersPex: we speak ut_pex on this connection — not for a private
// torrent (BEP 27); a magnet's privacy is unknown until its metadata, and
// libtorrent offers it until then too (the torrent ignores what comes
// once it knows).
func (a *Actor) offersPex() bool {
	return a.cfg.Info == nil || !a.cfg.Info.Private
}

// handlePex reads a ut_pex message: what is new goes to the torrent; a
// message too large, malformed or too frequent ends the connection, as
// libtorrent does.
func (a *Actor) handlePex(ctx actor.Context, payload []byte) error {
	if !a.offersPex() {
		return fmt.Errorf("%w: %d", ErrUnknownExtension, utPexID)
	}
	a.cfg.Counters.Inc(stats.SesNumIncomingPex)
	remote, _ := netip.ParseAddrPort(a.addr)
	a.pex.in.MaxPeers = a.set.Int(settings.MaxPEXPeers)
	added, err := a.pex.in.Receive(time.Now(), payload, netip.AddrPortFrom(remote.Addr().Unmap(), remote.Port()))
	if err != nil {
		return fmt.Errorf("%w: ut_pex: %w", ErrBadExtension, err)
	}
	if len(added) == 0 {
		return nil
	}
	m := &messages.PeerPEX{Key: a.cfg.Key, Added: make([]netip.AddrPort, len(added))}
	for i, p := range added {
		m.Added[i] = p.Addr
	}
	ctx.Send(ctx.Parent(), m)
	return nil
}

// handleSendPex sends a ut_pex message the torrent built.
func (a *Actor) handleSendPex(m *messages.SendPEX) {
	id := a.pex.remoteID
	if id == 0 || !a.connected || a.closing || !a.offersPex() {
		return
	}
	a.w.control(func(b []byte) []byte {
		return wire.AppendMessage(b, wire.Message{ID: wire.Extended, ExtendedID: id, Payload: m.Payload})
	})
	a.stats.upload += int64(6 + len(m.Payload))
	a.sent(stats.SesNumOutgoingPex, 1)
	a.sent(stats.SesNumOutgoingExtended, 1)
}
