package torrentactor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// trust credits and blames the peers that sent a piece when its hash passes or fails (smart ban).
// A view of the actor, not a part of it: the state stays in the actor (1000 of its size class's
// 1024 bytes), the type names the concern's methods.
type trust struct{ *Actor }

// Peers that send bad data are banned as libtorrent bans them: the torrent
// remembers which peers sent blocks of each piece in flight; when the
// piece passes they gain trust, when it fails they lose it, and one that
// sent a failed piece alone, or whose trust ran out, is banned
// (peer_ban), disconnected and never connected to again
// (internal/peerlist keeps the trust points and the ban).

// noteSender records that the peer behind key sent an accepted block of
// piece.
func (a trust) noteSender(key messages.PeerKey, piece int) {
	p := a.peers.get(key)
	if p == nil {
		return
	}
	s := a.senders[piece]
	if s == nil {
		if a.senders == nil {
			a.senders = map[int]map[string]bool{}
		}
		s = map[string]bool{}
		a.senders[piece] = s
	}
	s[p.addr] = true
}

// creditSenders: piece passed; everyone who sent some of it gains trust.
func (a trust) creditSenders(piece int) {
	for addr := range a.senders[piece] {
		if ap, ok := parseAddrPort(addr); ok {
			a.plist.PiecePassed(ap)
		}
	}
	delete(a.senders, piece)
}

// blameSenders: piece failed; everyone who sent some of it loses trust,
// and the ones that are banned now are told so and disconnected.
func (a trust) blameSenders(ctx actor.Context, piece int) {
	senders := a.senders[piece]
	delete(a.senders, piece)
	for addr := range senders {
		ap, ok := parseAddrPort(addr)
		if !ok || !a.plist.HashFailed(ap, len(senders) == 1) {
			continue
		}
		var peerID [20]byte
		for p := range a.peers.all() {
			if p.addr == addr && !p.closed {
				peerID = p.peerID
				ctx.Send(p.pid, &messages.Disconnect{Err: messages.ErrTooManyCorruptPieces})
			}
		}
		gauges{a.Actor}.countHashFailureBan()
		a.post(ctx, &messages.PeerBanAlert{PeerAlertHeader: messages.PeerHeader(a.ih, addr, peerID)})
	}
}
