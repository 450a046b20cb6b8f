package choker

import (
	"slices"
	"testing"
	"time"
)

// The slot limits, table-driven: after the first round (both rounds
// due), how many peers hold regular and optimistic slots.
func TestSlotLimits(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		slots, maxUploads      int
		optSlots, peers        int
		wantReg, wantOpt       int
		wantNextZero           bool
		snubbed, notInterested int
	}{
		{name: "default 8 of 20", slots: 8, peers: 20, wantReg: 7, wantOpt: 1},
		{name: "fewer peers than slots", slots: 8, peers: 3, wantReg: 3, wantOpt: 0},
		{name: "a fifth optimistic", slots: 20, peers: 30, wantReg: 16, wantOpt: 4},
		{name: "num_optimistic_unchoke_slots", slots: 8, optSlots: 3, peers: 20, wantReg: 5, wantOpt: 3},
		{name: "max_uploads bounds all", slots: 8, maxUploads: 2, peers: 20, wantReg: 1, wantOpt: 1},
		{name: "one slot is optimistic", slots: 1, peers: 5, wantReg: 0, wantOpt: 1},
		{name: "no slots", slots: 0, peers: 5},
		{name: "unlimited", slots: -1, peers: 50, wantReg: 50, wantNextZero: true},
		{name: "unlimited with max_uploads", slots: -1, maxUploads: 4, peers: 50, wantReg: 4},
		{name: "snubbed get no regular slot", slots: 8, peers: 10, snubbed: 6, wantReg: 4, wantOpt: 1},
		{name: "uninterested get nothing", slots: 8, peers: 10, notInterested: 8, wantReg: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.OptimisticSlots = tc.optSlots
			tor := leeching(tc.slots)
			tor.MaxUploads = tc.maxUploads
			s := newSim(t, cfg, tor, tc.peers)
			for i := range tc.snubbed {
				s.peers[i].Snubbed = true
			}
			for i := range tc.notInterested {
				s.peers[len(s.peers)-1-i].Interested = false
			}
			d := s.call()
			reg, opt := s.unchoked()
			if len(reg) != tc.wantReg || len(opt) != tc.wantOpt {
				t.Fatalf("regular %v optimistic %v, want %d and %d", reg, opt, tc.wantReg, tc.wantOpt)
			}
			if d.Next.IsZero() != tc.wantNextZero {
				t.Fatalf("next %v, want zero: %v", d.Next, tc.wantNextZero)
			}
			for _, k := range reg {
				if p := s.peer(k); p.Snubbed || !p.Interested {
					t.Fatalf("peer %+v holds a regular slot", *p)
				}
			}
		})
	}
}

// A peer that becomes snubbed loses its regular slot at once (the slot
// goes to a waiting peer); when seeding, snubbing means nothing.
func TestSnubbedLosesSlot(t *testing.T) {
	s := newSim(t, DefaultConfig(), leeching(3), 5)
	s.call()
	reg, _ := s.unchoked()
	victim := reg[0]
	s.peer(victim).Snubbed = true
	s.now = s.now.Add(time.Second)
	d := s.call()
	if !slices.Contains(d.Choke, victim) || len(d.Unchoke) != 1 {
		t.Fatalf("decision %+v: want %d choked and a waiting peer unchoked", d, victim)
	}

	s = newSim(t, DefaultConfig(), seeding(3), 5)
	for i := range s.peers {
		s.peers[i].Snubbed = true
	}
	s.call()
	if reg, _ := s.unchoked(); len(reg) != 2 {
		t.Fatalf("seeding: regular %v, want 2 despite snubbing", reg)
	}
}

// Peers whose class ignores the unchoke slots are unchoked whenever they
// are interested, and take no slot from the others.
func TestIgnoreUnchokeSlots(t *testing.T) {
	s := newSim(t, DefaultConfig(), leeching(2), 4)
	for i := range s.peers {
		s.peers[i].IgnoreSlots = i < 2 // 1 and 2
	}
	s.run(10 * time.Minute)
	for _, k := range []PeerKey{1, 2} {
		if p := s.peer(k); !p.Unchoked || p.Optimistic {
			t.Fatalf("ignore-slots peer %+v not unchoked (or optimistic)", *p)
		}
	}
	// 3 and 4 share the two slots: one regular, one optimistic.
	if !s.peer(3).Unchoked || !s.peer(4).Unchoked {
		t.Fatalf("peers 3 and 4 should hold the two slots: %+v %+v", *s.peer(3), *s.peer(4))
	}
	s.peer(1).Interested = false
	s.now = s.now.Add(time.Second)
	if d := s.call(); !slices.Equal(d.Choke, []PeerKey{1}) {
		t.Fatalf("an ignore-slots peer that lost interest: choke %v, want [1]", d.Choke)
	}
}

// Between rounds: a peer that lost interest is choked and its slot goes
// to the best waiting peer; a lost optimistic slot is refilled; a
// newcomer takes a free slot at once.
func TestRepairBetweenRounds(t *testing.T) {
	s := newSim(t, DefaultConfig(), leeching(3), 5)
	s.give[5] = 1000
	s.call()
	reg, opt := s.unchoked()
	if len(reg) != 2 || len(opt) != 1 {
		t.Fatalf("regular %v optimistic %v", reg, opt)
	}
	s.now = s.now.Add(time.Second)
	s.peer(reg[0]).Interested = false
	d := s.call()
	if !slices.Equal(d.Choke, []PeerKey{reg[0]}) || len(d.Unchoke) != 1 {
		t.Fatalf("lost interest: %+v", d)
	}
	s.now = s.now.Add(time.Second)
	s.peer(opt[0]).Interested = false
	d = s.call()
	if !slices.Equal(d.Choke, []PeerKey{opt[0]}) || len(d.Optimistic) != 1 || d.Optimistic[0] == opt[0] {
		t.Fatalf("lost optimistic: %+v", d)
	}

	// A newcomer with a free slot is unchoked at once.
	s = newSim(t, DefaultConfig(), leeching(8), 2)
	s.call()
	s.now = s.now.Add(time.Second)
	s.add(Peer{Key: 7, Interested: true})
	if d := s.call(); !slices.Equal(d.Unchoke, []PeerKey{7}) {
		t.Fatalf("newcomer: unchoke %v, want [7]", d.Unchoke)
	}
}

// The optimistic slot rotates every optimistic_unchoke_interval to the
// peer that has waited longest for one; over a long run every waiting
// peer gets about the same number of turns.
func TestOptimisticRotation(t *testing.T) {
	// 2 slots: 1 regular (peer 1, the only giver), 1 optimistic among
	// peers 2-6.
	s := newSim(t, DefaultConfig(), leeching(2), 6)
	s.give[1] = 10_000
	var order []PeerKey
	for range 10 {
		s.call()
		_, opt := s.unchoked()
		if len(opt) != 1 {
			t.Fatalf("optimistic %v", opt)
		}
		if len(order) == 0 || order[len(order)-1] != opt[0] {
			order = append(order, opt[0])
		}
		s.advance(s.now.Add(30 * time.Second))
	}
	// After the first rounds settle, each of 2-6 in turn, in connection
	// order, then again.
	tail := order[len(order)-5:]
	seen := map[PeerKey]bool{}
	for _, k := range tail {
		if k == 1 || seen[k] {
			t.Fatalf("rotation %v: not each of 2-6 once in five turns", order)
		}
		seen[k] = true
	}
}

// Changing the intervals takes effect at once when they shrink.
func TestSetConfigShorterIntervals(t *testing.T) {
	s := newSim(t, DefaultConfig(), leeching(8), 10)
	d := s.call()
	if got := d.Next.Sub(s.now); got != 15*time.Second {
		t.Fatalf("next in %v, want 15s", got)
	}
	cfg := DefaultConfig()
	cfg.UnchokeInterval = 5 * time.Second
	s.c.SetConfig(cfg)
	s.now = s.now.Add(time.Second)
	if d := s.call(); d.Next.Sub(t0) != 5*time.Second {
		t.Fatalf("next at %v, want 5s", d.Next.Sub(t0))
	}
	s.c.Trigger()
	if d := s.call(); !d.Regular {
		t.Fatalf("Trigger did not make a regular round due")
	}
}
