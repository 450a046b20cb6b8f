package metadata

import (
	"crypto/sha1"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// testInfo returns a bencoded info dictionary of exactly n bytes (n >= 100)
// and its SHA-1, deterministic for a given n.
func testInfo(t testing.TB, n int) ([]byte, [20]byte) {
	t.Helper()
	r := rand.New(rand.NewPCG(uint64(n), 7))
	dict := map[string]any{"name": "test", "piece length": int64(16384), "pieces": ""}
	base, err := bencodex.Marshal(dict)
	if err != nil {
		t.Fatal(err)
	}
	// Fill "pieces" so the whole is n bytes; its length prefix grows with
	// it, so settle the prefix width first.
	fill := n - len(base)
	for fill > 0 && len(base)+fill+len(strconv.Itoa(fill))-1 > n {
		fill--
	}
	pieces := make([]byte, fill)
	for i := range pieces {
		pieces[i] = byte(r.UintN(256))
	}
	dict["pieces"] = string(pieces)
	info, err := bencodex.Marshal(dict)
	if err != nil || len(info) != n {
		t.Fatalf("testInfo(%d): %d bytes, %v", n, len(info), err)
	}
	return info, sha1.Sum(info)
}

// behaviour is how a simulated peer answers requests.
type behaviour int

const (
	honest  behaviour = iota
	liar              // serves the right size but corrupts liePiece
	rejects           // rejects everything
	silent            // never answers
	slow              // answers only after the request timed out
)

type simPeer struct {
	key      PeerKey
	size     int64 // advertised; 0 means len(info)
	how      behaviour
	liePiece int
	info     []byte // what it serves; nil means the true info
}

// swarm drives a Fetcher against simulated peers in virtual time: every
// request is answered (or not) at once through the real codec and Server,
// and when nothing is to be sent the clock jumps to the wake time.
type swarm struct {
	t       *testing.T
	f       *Fetcher
	info    []byte
	peers   map[PeerKey]*simPeer
	now     time.Time
	asked   map[PeerKey][]int // every request, by peer
	dropped []PeerKey
	late    []Request // slow peers' answers, delivered after their timeout
}

func newSwarm(t *testing.T, info []byte, ih [20]byte, cfg FetcherConfig, peers ...*simPeer) *swarm {
	s := &swarm{t: t, f: NewFetcher(ih, cfg), info: info, peers: map[PeerKey]*simPeer{},
		now: time.Unix(1_700_000_000, 0), asked: map[PeerKey][]int{}}
	for _, p := range peers {
		s.add(p)
	}
	return s
}

func (s *swarm) add(p *simPeer) {
	s.peers[p.key] = p
	size := p.size
	if size == 0 {
		size = int64(len(s.info))
	}
	if err := s.f.AddPeer(p.key, size); err != nil {
		s.t.Fatalf("AddPeer(%d): %v", p.key, err)
	}
}

// served is what p's Server holds.
func (s *swarm) served(p *simPeer) []byte {
	if p.info != nil {
		return p.info
	}
	if p.how != liar {
		return s.info
	}
	bad := slices.Clone(s.info)
	bad[p.liePiece*PieceSize] ^= 0xff
	return bad
}

// run steps until the fetch is done or maxSteps; it reports done.
func (s *swarm) run(maxSteps int) bool {
	for step := 0; step < maxSteps && !s.f.Done(); step++ {
		reqs, wake := s.f.Next(s.now)
		for _, r := range reqs {
			s.asked[r.Peer] = append(s.asked[r.Peer], r.Piece)
			s.answer(r, false)
		}
		if len(reqs) > 0 {
			continue
		}
		if wake.IsZero() {
			return false // nothing will ever happen
		}
		if !wake.After(s.now) {
			s.t.Fatalf("wake %v not after now %v with no requests", wake, s.now)
		}
		s.now = wake
		for _, r := range s.late {
			s.answer(r, true)
		}
		s.late = nil
	}
	return s.f.Done()
}

func (s *swarm) answer(r Request, late bool) {
	p := s.peers[r.Peer]
	switch {
	case p.how == silent:
		return
	case p.how == slow && !late:
		s.late = append(s.late, r)
		return
	}
	srv := NewServer(s.served(p))
	if p.how == rejects {
		srv = NewServer(nil)
	}
	reply, ok := srv.Answer(Message{Type: MsgRequest, Piece: r.Piece})
	if !ok {
		s.t.Fatal("server did not answer a request")
	}
	wire, err := AppendMessage(nil, reply)
	if err != nil {
		s.t.Fatal(err)
	}
	m, err := ParseMessage(wire)
	if err != nil {
		s.t.Fatal(err)
	}
	switch m.Type {
	case MsgData:
		out := s.f.OnData(r.Peer, m)
		s.dropped = append(s.dropped, out.Drop...)
	case MsgReject:
		s.f.OnReject(r.Peer, m.Piece, s.now)
	}
}
