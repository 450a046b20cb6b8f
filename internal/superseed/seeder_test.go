package superseed

import (
	"slices"
	"testing"
	"time"
)

// swarm is a fake picker: each peer's pieces.
type swarm map[PeerKey]map[int]bool

func (w swarm) Availability(piece int) int {
	n := 0
	for _, has := range w {
		if has[piece] {
			n++
		}
	}
	return n
}

func (w swarm) PeerHasPiece(peer PeerKey, piece int) bool { return w[peer][piece] }

func (w swarm) give(peer PeerKey, pieces ...int) {
	if w[peer] == nil {
		w[peer] = map[int]bool{}
	}
	for _, p := range pieces {
		w[peer][p] = true
	}
}

// first breaks ties with the lowest piece, so that tables can say which.
func first(int) int { return 0 }

var t0 = time.Unix(1_000_000, 0)

// step is one event of a table case.
type step struct {
	op    string // connect, bitfield, have, interest, uninterest, tick, remove
	peer  PeerKey
	piece int           // have
	give  []int         // pieces the peer has before the event (bitfield, have adds piece)
	at    time.Duration // since t0
	// interested: the peer is interested in us when it connects.
	interested bool
	want       []Reveal
}

func allowed(a, b int) [2]int { return [2]int{a, b} }

func TestSeeder(t *testing.T) {
	for _, c := range []struct {
		name      string
		numPieces int
		strict    bool
		steps     []step
	}{
		{name: "a new peer is told of two pieces, the rarest first", numPieces: 4, steps: []step{
			{op: "bitfield", peer: 9, give: []int{0, 1}}, // a peer not super seeded to (unknown): nothing
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 2, Allowed: allowed(2, None)},
				{Peer: 1, Piece: 3, Allowed: allowed(3, 2)},
			}},
		}},
		{name: "a piece revealed to one peer goes to another only when nothing else is left", numPieces: 3, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "connect", peer: 2, want: []Reveal{
				{Peer: 2, Piece: 2, Allowed: allowed(2, None)},
				{Peer: 2, Piece: 0, Allowed: allowed(0, 2)},
			}},
		}},
		{name: "a one-piece torrent reveals its piece once", numPieces: 1, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{{Peer: 1, Piece: 0, Allowed: allowed(0, None)}}},
		}},
		{name: "not strict: the peer's own HAVE of its piece brings the next", numPieces: 4, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "have", peer: 1, piece: 0, want: []Reveal{{Peer: 1, Piece: 2, Allowed: allowed(2, 1)}}},
			{op: "have", peer: 1, piece: 3}, // not one of its pieces: nothing
			// Nothing new is left for it: piece 1 only makes room.
			{op: "have", peer: 1, piece: 1, want: []Reveal{{Peer: 1, Piece: None, Allowed: allowed(2, None)}}},
		}},
		{name: "not strict: another peer's HAVE changes nothing", numPieces: 4, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "connect", peer: 2, want: []Reveal{
				{Peer: 2, Piece: 2, Allowed: allowed(2, None)},
				{Peer: 2, Piece: 3, Allowed: allowed(3, 2)},
			}},
			{op: "have", peer: 1, piece: 0, give: nil, want: []Reveal{{Peer: 1, Piece: 2, Allowed: allowed(2, 1)}}},
			{op: "have", peer: 2, piece: 0},
		}},
		{name: "strict: the peer's own HAVE waits for another peer's", numPieces: 6, strict: true, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "connect", peer: 2, want: []Reveal{
				{Peer: 2, Piece: 2, Allowed: allowed(2, None)},
				{Peer: 2, Piece: 3, Allowed: allowed(3, 2)},
			}},
			{op: "have", peer: 1, piece: 0},
			{op: "have", peer: 2, piece: 0, want: []Reveal{{Peer: 1, Piece: 4, Allowed: allowed(4, 1)}}},
		}},
		{name: "strict: a forwarded piece the first peer never announced changes nothing", numPieces: 6, strict: true, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "connect", peer: 2, want: []Reveal{
				{Peer: 2, Piece: 2, Allowed: allowed(2, None)},
				{Peer: 2, Piece: 3, Allowed: allowed(3, 2)},
			}},
			{op: "have", peer: 2, piece: 0},
		}},
		{name: "strict: a lone peer's own HAVE is enough", numPieces: 4, strict: true, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "have", peer: 1, piece: 1, want: []Reveal{{Peer: 1, Piece: 2, Allowed: allowed(2, 0)}}},
		}},
		{name: "strict: every peer told of a forwarded piece moves on", numPieces: 8, strict: true, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "connect", peer: 2, want: []Reveal{
				{Peer: 2, Piece: 2, Allowed: allowed(2, None)},
				{Peer: 2, Piece: 3, Allowed: allowed(3, 2)},
			}},
			{op: "remove", peer: 2}, // 2 and 3 are free again
			{op: "connect", peer: 3, want: []Reveal{
				{Peer: 3, Piece: 2, Allowed: allowed(2, None)},
				{Peer: 3, Piece: 3, Allowed: allowed(3, 2)},
			}},
			{op: "have", peer: 1, piece: 0},
			{op: "have", peer: 4, piece: 0}, // not a peer of ours
			{op: "connect", peer: 5, want: []Reveal{
				{Peer: 5, Piece: 4, Allowed: allowed(4, None)},
				{Peer: 5, Piece: 5, Allowed: allowed(5, 4)},
			}},
			{op: "have", peer: 5, piece: 0, want: []Reveal{{Peer: 1, Piece: 6, Allowed: allowed(6, 1)}}},
		}},
		{name: "a bitfield replaces revealed pieces the peer had", numPieces: 5, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "bitfield", peer: 1, give: []int{0, 2}, want: []Reveal{{Peer: 1, Piece: 3, Allowed: allowed(3, 1)}}},
		}},
		{name: "a seed's bitfield frees its pieces", numPieces: 2, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "bitfield", peer: 1, give: []int{0, 1}, want: []Reveal{
				{Peer: 1, Piece: None, Allowed: allowed(0, None)},
				{Peer: 1, Piece: None, Allowed: allowed(None, None)},
			}},
		}},
		{name: "an uninterested peer gets one more piece a tick after the wait", numPieces: 6, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "tick", at: UninterestedWait - time.Second},
			{op: "tick", at: UninterestedWait, want: []Reveal{{Peer: 1, Piece: 2, Allowed: allowed(2, 1)}}},
			// Piece 0 left its slots: it may come back.
			{op: "tick", at: UninterestedWait + time.Second, want: []Reveal{{Peer: 1, Piece: 0, Allowed: allowed(0, 2)}}},
			{op: "interest", peer: 1, at: 12 * time.Second},
			{op: "tick", at: 40 * time.Second},
			{op: "uninterest", peer: 1, at: 41 * time.Second},
			{op: "tick", at: 50 * time.Second},
			{op: "tick", at: 51 * time.Second, want: []Reveal{{Peer: 1, Piece: 1, Allowed: allowed(1, 0)}}},
			{op: "tick", at: 52 * time.Second, want: []Reveal{{Peer: 1, Piece: 2, Allowed: allowed(2, 1)}}},
		}},
		{name: "a peer interested when it connects waits for its disinterest", numPieces: 4, steps: []step{
			{op: "connect", peer: 1, interested: true, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "tick", at: time.Minute},
			{op: "uninterest", peer: 1, at: time.Minute},
			{op: "tick", at: time.Minute + UninterestedWait, want: []Reveal{{Peer: 1, Piece: 2, Allowed: allowed(2, 1)}}},
		}},
		{name: "an uninterested peer lacking nothing new gets nothing", numPieces: 3, steps: []step{
			{op: "connect", peer: 1, want: []Reveal{
				{Peer: 1, Piece: 0, Allowed: allowed(0, None)},
				{Peer: 1, Piece: 1, Allowed: allowed(1, 0)},
			}},
			{op: "bitfield", peer: 1, give: []int{2}},
			{op: "tick", at: time.Minute},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := New(c.numPieces, first)
			s.SetStrict(c.strict)
			w := swarm{}
			for i, st := range c.steps {
				now := t0.Add(st.at)
				var got []Reveal
				switch st.op {
				case "connect":
					got = s.Connected(w, st.peer, st.interested, now)
				case "bitfield":
					w.give(st.peer, st.give...)
					got = s.Bitfield(w, st.peer)
				case "have":
					w.give(st.peer, st.piece)
					got = s.Have(w, st.peer, st.piece)
				case "interest", "uninterest":
					s.Interest(st.peer, st.op == "interest", now)
				case "tick":
					got = s.Tick(w, now)
				case "remove":
					s.Removed(st.peer)
					delete(w, st.peer)
				default:
					t.Fatalf("step %d: unknown op %q", i, st.op)
				}
				if !slices.Equal(got, st.want) {
					t.Fatalf("step %d (%s peer %d): got %+v, want %+v", i, st.op, st.peer, got, st.want)
				}
				last := map[PeerKey]Reveal{}
				for _, r := range got {
					last[r.Peer] = r
				}
				for _, r := range last {
					if s.Allowed(r.Peer) != r.Allowed {
						t.Fatalf("step %d: Allowed(%d) = %v, the reveal said %v", i, r.Peer, s.Allowed(r.Peer), r.Allowed)
					}
				}
			}
			checkCounts(t, s)
		})
	}
}

// checkCounts: the per-piece counts match the peers' slots.
func checkCounts(t *testing.T, s *Seeder) {
	t.Helper()
	want := make([]int32, s.numPieces)
	for _, p := range s.peers {
		for _, piece := range p.slots {
			if piece != None {
				want[piece]++
			}
		}
	}
	if !slices.Equal(want, s.revealed) {
		t.Fatalf("revealed counts %v, slots say %v", s.revealed, want)
	}
}

// Ties are broken by intn among the rarest pieces only.
func TestPickTies(t *testing.T) {
	w := swarm{}
	w.give(7, 0, 2) // pieces 1 and 3 are the rarest
	for _, c := range []struct {
		choice int
		want   int
	}{{0, 1}, {1, 3}} {
		var asked int
		s := New(4, func(n int) int { asked = n; return min(c.choice, n-1) })
		rs := s.Connected(w, 1, false, t0)
		if len(rs) != 2 || rs[0].Piece != c.want {
			t.Fatalf("choice %d: revealed %+v, want piece %d first", c.choice, rs, c.want)
		}
		if asked != 1 { // the second pick has one rarest piece left
			t.Fatalf("last tie among %d pieces, want 1", asked)
		}
	}
}

// A peer's pieces are free once it is gone; unknown peers are ignored.
func TestRemovedAndUnknown(t *testing.T) {
	s := New(3, first)
	w := swarm{}
	s.Connected(w, 1, false, t0)
	if !s.IsAllowed(1, 0) || s.IsAllowed(1, 2) || s.IsAllowed(2, 0) || s.IsAllowed(1, None) {
		t.Fatal("IsAllowed wrong after connect")
	}
	if got := s.Connected(w, 1, false, t0); got != nil {
		t.Fatalf("a second Connected revealed %v", got)
	}
	s.Removed(1)
	s.Removed(1)
	if s.IsAllowed(1, 0) || s.Allowed(1) != allowed(None, None) || len(s.Peers()) != 0 {
		t.Fatal("peer not forgotten")
	}
	if s.Bitfield(w, 1) != nil || s.Have(w, 1, 0) != nil {
		t.Fatal("an unknown peer got reveals")
	}
	s.Interest(1, true, t0)
	checkCounts(t, s)
}
