package peeractor

import (
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// reportState keeps the peer's reports of the remote's state to the
// torrent (its interest in us, its pieces) to one of each in flight: the
// torrent acknowledges each (messages.PeerReportSeen), and what changes in
// between is sent as one report then. A remote that flips its interest or
// resends its bitfield as fast as it can otherwise queues a report per
// message in the torrent's mailbox (measured: 2M interest flips grew the
// heap by 350 MiB, hostile_bounded_test.go); libtorrent handles each on
// the spot and has no queue to grow. A HAVE is still reported on its own
// unless a bitfield report is pending, which then carries it: between two
// bitfields a peer sends at most one PeerHave per piece.
type reportState struct {
	interestInFlight bool
	interestSent     bool // the last interest reported
	bitfieldInFlight bool
	bitfieldDirty    bool // peerHave changed since the bitfield in flight
}

// reporting is the peer actor's report concern.
type reporting struct{ *Actor }

// interestChanged reports the remote's interest unless a report is in
// flight or the torrent already has this value.
func (a reporting) interestChanged(ctx actor.Context) {
	if a.reports.interestInFlight || a.peerInterested == a.reports.interestSent {
		return
	}
	a.reports.interestInFlight, a.reports.interestSent = true, a.peerInterested
	// A request: the torrent answers the sender, whether or not it
	// knows the peer yet.
	ctx.Request(ctx.Parent(), &messages.PeerInterest{Key: a.cfg.Key, Interested: a.peerInterested})
}

// bitfieldChanged reports peerHave, which replaced the remote's pieces,
// or marks it for the report after the one in flight.
func (a reporting) bitfieldChanged(ctx actor.Context) {
	if a.reports.bitfieldInFlight {
		a.reports.bitfieldDirty = true
		return
	}
	a.reports.bitfieldInFlight = true
	ctx.Request(ctx.Parent(), &messages.PeerBitfield{Key: a.cfg.Key, Bitfield: a.peerHave.Clone()})
}

// haveAdded reports a piece the remote now has (already in peerHave).
func (a reporting) haveAdded(ctx actor.Context, piece int) {
	if a.reports.bitfieldDirty {
		return // the next bitfield report carries it
	}
	ctx.Send(ctx.Parent(), &messages.PeerHave{Key: a.cfg.Key, Piece: piece})
}

// handleReportSeen: the torrent handled a report; what changed since goes
// now.
func (a reporting) handleReportSeen(ctx actor.Context, m *messages.PeerReportSeen) {
	if !m.Bitfield {
		a.reports.interestInFlight = false
		a.interestChanged(ctx)
		return
	}
	a.reports.bitfieldInFlight = false
	if a.reports.bitfieldDirty {
		a.reports.bitfieldDirty = false
		a.bitfieldChanged(ctx)
	}
}
