package choker

import (
	"slices"
	"testing"
	"time"
)

// t0 is the virtual start of every test.
var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// sim drives a choker over virtual time the way the torrent actor does:
// it applies each Decision to its peer snapshots, moves bytes at fixed
// rates between calls, and calls again at Decision.Next.
type sim struct {
	tb    testing.TB
	c     *Choker
	t     Torrent
	peers []Peer
	now   time.Time
	// give is what each peer sends us a second (whatever we do: tit for
	// tat is about rewarding it); take what each unchoked peer gets
	// from us a second.
	give map[PeerKey]int64
	take int64
	// regular and optimistic count, per peer, the rounds it spent
	// unchoked in a regular or optimistic slot.
	regular, optimistic map[PeerKey]int
}

func newSim(tb testing.TB, cfg Config, t Torrent, n int) *sim {
	s := &sim{tb: tb, c: New(cfg), t: t, now: t0, give: map[PeerKey]int64{},
		regular: map[PeerKey]int{}, optimistic: map[PeerKey]int{}}
	for i := range n {
		s.add(Peer{Key: PeerKey(i + 1), Interested: true})
	}
	return s
}

// add connects a peer now.
func (s *sim) add(p Peer) {
	p.ConnectedAt = s.now
	s.peers = append(s.peers, p)
}

func (s *sim) peer(k PeerKey) *Peer {
	for i := range s.peers {
		if s.peers[i].Key == k {
			return &s.peers[i]
		}
	}
	s.tb.Fatalf("no peer %d", k)
	return nil
}

// call runs a Round now and applies it, checking the decision's shape.
func (s *sim) call() Decision {
	s.tb.Helper()
	d := s.c.Round(s.t, s.peers, s.now)
	for _, k := range d.Unchoke {
		p := s.peer(k)
		if p.Unchoked {
			s.tb.Fatalf("%v: unchoke of unchoked peer %d", s.now.Sub(t0), k)
		}
		p.Unchoked, p.LastUnchoke, p.UploadedSinceUnchoke = true, s.now, 0
	}
	for _, k := range d.Choke {
		p := s.peer(k)
		if !p.Unchoked {
			s.tb.Fatalf("%v: choke of choked peer %d", s.now.Sub(t0), k)
		}
		p.Unchoked = false
	}
	for i := range s.peers {
		p := &s.peers[i]
		opt := slices.Contains(d.Optimistic, p.Key)
		if opt && !p.Unchoked {
			s.tb.Fatalf("%v: optimistic peer %d is choked", s.now.Sub(t0), p.Key)
		}
		if opt && !p.Optimistic {
			p.LastOptimistic = s.now
		}
		p.Optimistic = opt
		if d.Regular {
			p.Downloaded, p.Uploaded = 0, 0
		}
	}
	used := 0
	for _, p := range s.peers {
		if p.Unchoked && !p.IgnoreSlots {
			used++
		}
	}
	if (d.Slots >= 0 && used > d.Slots) || (s.t.MaxUploads > 0 && used > s.t.MaxUploads) {
		s.tb.Fatalf("%v: %d unchoked in %d slots, max_uploads %d", s.now.Sub(t0), used, d.Slots, s.t.MaxUploads)
	}
	if !d.Next.IsZero() && !d.Next.After(s.now) {
		s.tb.Fatalf("%v: next round %v is not in the future", s.now.Sub(t0), d.Next.Sub(t0))
	}
	return d
}

// advance moves bytes until to.
func (s *sim) advance(to time.Time) {
	secs := int64(to.Sub(s.now) / time.Second)
	for i := range s.peers {
		p := &s.peers[i]
		p.Downloaded += s.give[p.Key] * secs
		if p.Unchoked {
			n := s.take * secs
			p.Uploaded += n
			p.UploadedSinceUnchoke += n
			p.UploadedTotal += n
		}
	}
	s.now = to
}

// run calls rounds at Decision.Next until d has passed, counting after
// each call who holds which kind of slot.
func (s *sim) run(d time.Duration) {
	s.tb.Helper()
	end := s.now.Add(d)
	for s.now.Before(end) {
		dec := s.call()
		for _, p := range s.peers {
			switch {
			case p.Optimistic:
				s.optimistic[p.Key]++
			case p.Unchoked:
				s.regular[p.Key]++
			}
		}
		if dec.Next.IsZero() {
			return
		}
		s.advance(dec.Next)
	}
}

// unchoked lists the unchoked peers, regular and optimistic.
func (s *sim) unchoked() (regular, optimistic []PeerKey) {
	for _, p := range s.peers {
		switch {
		case p.Optimistic:
			optimistic = append(optimistic, p.Key)
		case p.Unchoked:
			regular = append(regular, p.Key)
		}
	}
	return regular, optimistic
}
