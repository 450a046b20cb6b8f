package torrentactor

import (
	"maps"
	"slices"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Peers that send bad data are banned as libtorrent bans them: the torrent
// remembers which peers sent blocks of each piece in flight; when the
// piece passes they gain trust, when it fails they lose it, and one that
// sent a failed piece alone, or whose trust ran out, is banned
// (peer_ban), disconnected and never connected to again
// (internal/peerlist keeps the trust points and the ban).

// pieceSenders are, per piece in flight, the addresses of the peers that
// sent accepted blocks of it. The map is made with the first block: an
// idle torrent holds none.
type pieceSenders map[int]map[string]bool

// note records that the peer at addr sent an accepted block of piece.
func (s *pieceSenders) note(piece int, addr string) {
	if *s == nil {
		*s = pieceSenders{}
	}
	m := (*s)[piece]
	if m == nil {
		m = map[string]bool{}
		(*s)[piece] = m
	}
	m[addr] = true
}

// take forgets piece's senders and returns them, in address order.
func (s pieceSenders) take(piece int) []string {
	addrs := slices.Sorted(maps.Keys(s[piece]))
	delete(s, piece)
	return addrs
}

// creditSenders: piece passed; everyone who sent some of it gains trust.
func (a *Actor) creditSenders(piece int) {
	for _, addr := range a.senders.take(piece) {
		if ap, ok := parseAddrPort(addr); ok {
			a.plist.PiecePassed(ap)
		}
		for p := range a.peers.openAt(addr) {
			p.parole = false // use_parole_mode: off parole again (pick_policy.go)
		}
	}
}

// blameSenders: piece failed; everyone who sent some of it loses trust,
// and the ones that are banned now are told so and disconnected.
func (a *Actor) blameSenders(ctx actor.Context, piece int) {
	senders := a.senders.take(piece)
	for _, addr := range senders {
		for p := range a.peers.openAt(addr) {
			p.parole = p.parole || a.set.Bool(settings.UseParoleMode) // pick_policy.go
		}
		ap, ok := parseAddrPort(addr)
		if !ok || !a.plist.HashFailed(ap, len(senders) == 1) {
			continue
		}
		var peerID [20]byte
		for p := range a.peers.openAt(addr) {
			peerID = p.peerID
			ctx.Send(p.pid, &messages.Disconnect{Err: messages.ErrTooManyCorruptPieces})
		}
		gauges{a}.countHashFailureBan()
		a.post(ctx, &messages.PeerBanAlert{PeerAlertHeader: messages.PeerHeader(a.ih, addr, peerID)})
	}
}
