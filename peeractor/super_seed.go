package peeractor

import (
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
)

// Super seeding (BEP 16) on the wire, as libtorrent writes it: the torrent
// decides which pieces each remote is told of (internal/superseed); the
// connection hides the rest. The remote first hears we have nothing
// (have_none with the fast extension, else no bitfield at all), then a
// HAVE per revealed piece, and a request for a piece it was not told of is
// refused (invalid_request; rejected with the fast extension). No
// allowed-fast set goes out meanwhile: it would name pieces we hide.

// superSeedState is the connection's share of its torrent's super seeding.
type superSeedState struct {
	on      bool
	allowed [2]int // the pieces the remote may request; -1: an empty slot
}

// superSeeding holds the methods of super seeding: the peer actor keeps
// its own methods under the budget (method_budget_test.go).
type superSeeding struct{ *Actor }

// startState is the state a connection starts in (Config.SuperSeed).
func startState(on bool) superSeedState { return superSeedState{on: on, allowed: [2]int{-1, -1}} }

// handle applies the torrent's SuperSeedPieces.
func (a superSeeding) handle(m *messages.SuperSeedPieces) {
	if !m.On {
		if a.super.on {
			a.super = startState(false)
			if a.connected && !a.closing {
				(fastExt{a.Actor}).sendPieces() // the full picture, as libtorrent's write_bitfield
			}
		}
		return
	}
	a.super.on, a.super.allowed = true, m.Allowed
	if !a.connected || a.closing || len(m.Have) == 0 {
		return
	}
	pieces := m.Have
	a.w.control(func(b []byte) []byte {
		for _, p := range pieces {
			b = wire.AppendHave(b, uint32(p))
		}
		return b
	})
	a.stats.upload += int64(9 * len(pieces))
	a.sent(stats.SesNumOutgoingHave, len(pieces))
}

// hidesPieces: our opening message says we have nothing (have_none with
// the fast extension; nothing without it).
func (a superSeeding) hidesPieces() bool {
	if !a.super.on {
		return false
	}
	if a.fast.on {
		a.w.control(func(b []byte) []byte { return wire.AppendMessage(b, wire.Message{ID: wire.HaveNone}) })
		a.stats.upload += 5
		a.sent(stats.SesNumOutgoingHaveNone, 1)
	}
	return true
}

// refuses: the remote asks for a piece it was not told of.
func (a superSeeding) refuses(piece int) bool {
	return a.super.on && a.super.allowed[0] != piece && a.super.allowed[1] != piece
}
