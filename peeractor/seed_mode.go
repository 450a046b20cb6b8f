package peeractor

import (
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// seedHold is the connection's side of seed mode's lazy verification: the
// torrent counts every piece as had but hashes each on its first request
// (torrentactor/seed_mode.go). A request for a piece not verified yet is
// held, not rejected, and the torrent asked to verify it; once told, the
// held requests are served (or rejected, if the piece failed). The
// actor's pointer is nil out of seed mode, so serving a request costs a
// torrent that is not in seed mode one nil check.
type seedHold struct {
	unverified bitfield.Bitfield
	held       map[int][]messages.Block // per piece, in arrival order
	n          int                      // blocks held
	asking     int                      // pieces asked of the torrent, not answered
	next       []int                    // pieces held, not asked yet (asking is full)
}

// maxVerifying is how many pieces one connection has hashed at once, as
// libtorrent: a peer cannot make us hash the whole torrent at once.
const maxVerifying = 3

// newSeedHold is the state of a connection made in seed mode (nil: every
// piece is verified, or the torrent is not in seed mode).
func newSeedHold(unverified bitfield.Bitfield) *seedHold {
	if unverified.Count() == 0 {
		return nil
	}
	return &seedHold{unverified: unverified, held: map[int][]messages.Block{}}
}

// seedGate holds seed mode's methods: the peer actor keeps its own
// methods under the budget.
type seedGate struct{ *Actor }

// hold takes a valid request for a piece not verified yet and reports
// whether it did; the request is then served once the piece is.
func (a seedGate) hold(ctx actor.Context, b messages.Block) bool {
	s := a.seed
	if !s.unverified.Has(b.Piece) {
		return false
	}
	if len(a.requests)+s.n >= a.set.Int(settings.MaxAllowedInRequestQueue) {
		a.cfg.Counters.Inc(stats.PeerMaxPieceRequests)
		(fastExt{a.Actor}).reject(b) // without fast, dropped: the queue is full either way
		return true
	}
	blocks, waiting := s.held[b.Piece]
	s.held[b.Piece] = append(blocks, b)
	s.n++
	if !waiting {
		s.next = append(s.next, b.Piece)
		a.askNext(ctx)
	}
	return true
}

// askNext asks the torrent to verify held pieces, up to maxVerifying at
// once.
func (a seedGate) askNext(ctx actor.Context) {
	s := a.seed
	for s.asking < maxVerifying && len(s.next) > 0 {
		p := s.next[0]
		s.next = s.next[1:]
		s.asking++
		ctx.Send(ctx.Parent(), &messages.VerifyPiece{Key: a.cfg.Key, Piece: p})
	}
}

// handlePieceVerified applies the torrent's answer: the piece's held
// requests are served, or rejected when it failed (with the fast
// extension; without, dropped: the torrent is about to check its files
// and close every connection). Piece -1: every piece is verified.
func (a seedGate) handlePieceVerified(ctx actor.Context, m *messages.PieceVerified) {
	s := a.seed
	if s == nil {
		return
	}
	if m.Piece < 0 {
		a.seed = nil
		for _, blocks := range s.held {
			a.requests = append(a.requests, blocks...)
		}
		a.serve(ctx)
		return
	}
	blocks, ok := s.held[m.Piece]
	if !ok {
		return
	}
	delete(s.held, m.Piece)
	s.n -= len(blocks)
	s.asking--
	if m.OK {
		s.unverified.Clear(m.Piece)
		a.requests = append(a.requests, blocks...)
		a.serve(ctx)
	} else {
		for _, b := range blocks {
			(fastExt{a.Actor}).reject(b)
		}
	}
	a.askNext(ctx)
}

// cancel drops a held request the remote cancelled; it reports whether
// the request was held.
func (a seedGate) cancel(b messages.Block) bool {
	s := a.seed
	blocks := s.held[b.Piece]
	for i, r := range blocks {
		if r == b {
			// The piece stays asked (or queued to be): its answer comes
			// and finds fewer requests.
			s.held[b.Piece] = append(blocks[:i], blocks[i+1:]...)
			s.n--
			a.cfg.Counters.Inc(stats.PeerCancelledPieceRequests)
			return true
		}
	}
	return false
}

// rejectOnChoke: we choke the remote; its held requests go as its queued
// ones do (fast.go's rejectOnChoke): rejected, but for allowed-fast
// pieces.
func (a seedGate) rejectOnChoke() {
	s := a.seed
	fe := fastExt{a.Actor}
	for p, blocks := range s.held {
		if a.fast.on && fe.isAllowedOut(p) {
			continue
		}
		for _, b := range blocks {
			fe.reject(b)
		}
		s.n -= len(blocks)
		s.held[p] = blocks[:0] // still asked: the answer finds no request
	}
}
