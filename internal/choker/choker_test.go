package choker

import (
	"slices"
	"testing"
	"time"
)

const pieceLen = 256 << 10

func leeching(slots int) Torrent {
	return Torrent{Slots: slots, PieceLength: pieceLen, TotalSize: 100 * pieceLen}
}

func seeding(slots int) Torrent {
	t := leeching(slots)
	t.Seeding = true
	return t
}

// Tit-for-tat: while downloading, the peers that give us the most hold
// the regular slots, one slot is optimistic, and a free rider (never
// sending anything) gets nothing but optimistic slots, over many rounds
// and whatever the seed algorithm, yet does get some.
func TestFreeRiderGetsOnlyOptimisticSlots(t *testing.T) {
	for _, alg := range []SeedAlgorithm{RoundRobin, FastestUpload, AntiLeech} {
		cfg := DefaultConfig()
		cfg.SeedAlgorithm = alg
		// 8 slots: 7 regular, 1 optimistic. Peers 1-9 give, 10 never.
		s := newSim(t, cfg, leeching(8), 10)
		s.take = 50_000
		for k := PeerKey(1); k <= 9; k++ {
			s.give[k] = int64(k) * 10_000
		}
		s.run(time.Hour)
		if s.regular[10] != 0 {
			t.Errorf("alg %d: the free rider held a regular slot after %d calls", alg, s.regular[10])
		}
		if s.optimistic[10] == 0 {
			t.Errorf("alg %d: the free rider never got an optimistic slot", alg)
		}
		// The seven best givers hold the regular slots at the end.
		reg, opt := s.unchoked()
		slices.Sort(reg)
		if want := []PeerKey{3, 4, 5, 6, 7, 8, 9}; !slices.Equal(reg, want) {
			t.Errorf("alg %d: regular slots %v, want %v", alg, reg, want)
		}
		if len(opt) != 1 {
			t.Errorf("alg %d: optimistic %v, want one", alg, opt)
		}
	}
}

// A peer that starts giving (after an optimistic unchoke taught it to)
// wins a regular slot at the next regular round from the worst giver.
func TestTitForTatPromotesNewGiver(t *testing.T) {
	s := newSim(t, DefaultConfig(), leeching(4), 5) // 3 regular + 1 optimistic
	for k := PeerKey(1); k <= 4; k++ {
		s.give[k] = int64(k) * 1000
	}
	s.run(2 * time.Minute)
	reg, _ := s.unchoked()
	slices.Sort(reg)
	if want := []PeerKey{2, 3, 4}; !slices.Equal(reg, want) {
		t.Fatalf("regular %v, want %v", reg, want)
	}
	s.give[5] = 100_000
	s.run(time.Minute)
	reg, _ = s.unchoked()
	slices.Sort(reg)
	if want := []PeerKey{3, 4, 5}; !slices.Equal(reg, want) {
		t.Fatalf("after peer 5 gave: regular %v, want %v", reg, want)
	}
}

// Seeding round robin: every peer gets its turn, evenly, because a peer
// that had its quota (20 pieces and a minute) makes way.
func TestSeedRoundRobinRotatesFairly(t *testing.T) {
	s := newSim(t, DefaultConfig(), seeding(4), 12)
	s.take = pieceLen // a piece a second: the quota in 20 s
	s.run(2 * time.Hour)
	total := map[PeerKey]int{}
	lo, hi := 1<<30, 0
	for _, p := range s.peers {
		n := s.regular[p.Key] + s.optimistic[p.Key]
		total[p.Key] = n
		lo, hi = min(lo, n), max(hi, n)
	}
	if lo == 0 || hi > 2*lo {
		t.Fatalf("turns per peer %v: min %d max %d, want everyone within 2x", total, lo, hi)
	}
}

// fastest_upload keeps the peers we upload to fastest; a choked peer
// waits for the optimistic slot.
func TestSeedFastestUploadKeepsFastest(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SeedAlgorithm = FastestUpload
	s := newSim(t, cfg, seeding(3), 5) // 2 regular + 1 optimistic
	d := s.call()
	if len(d.Unchoke) != 3 {
		t.Fatalf("first round unchoked %v, want 3", d.Unchoke)
	}
	// Whoever is unchoked: make peers 4 and 5 the fastest takers.
	for i := range s.peers {
		s.peers[i].Uploaded = int64(s.peers[i].Key) * 1000
	}
	s.advance(s.now.Add(15 * time.Second))
	for i := range s.peers {
		s.peers[i].Uploaded = int64(s.peers[i].Key) * 1000
	}
	s.call()
	reg, _ := s.unchoked()
	slices.Sort(reg)
	if !slices.Contains(reg, 5) || len(reg) != 2 {
		t.Fatalf("regular %v: want two, the fastest unchoked among them", reg)
	}
}

func TestAntiLeechScore(t *testing.T) {
	tor := Torrent{TotalSize: 1000, PieceLength: 10}
	for _, tc := range []struct {
		have, given int64
		want        int64
	}{
		{0, 0, 1000},       // just started: top
		{1000, 0, 1000},    // complete: top
		{500, 0, 0},        // half: bottom
		{250, 0, 500},      // a quarter
		{900, 0, 800},      // almost done
		{0, 400, 200},      // what we sent it counts as had
		{0, 900, 0},        // but never past half
		{800, 100, 600},    // has more than we sent
		{1000, 1000, 1000}, // a seed stays complete
	} {
		got := antiLeechScore(tor, &Peer{HaveBytes: tc.have, UploadedTotal: tc.given})
		if got != tc.want {
			t.Errorf("have %d given %d: score %d, want %d", tc.have, tc.given, got, tc.want)
		}
	}
	if got := antiLeechScore(Torrent{}, &Peer{}); got != 0 {
		t.Errorf("empty torrent: %d", got)
	}
}

// anti_leech prefers a peer that just started and one almost done over
// one halfway.
func TestSeedAntiLeechOrder(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SeedAlgorithm = AntiLeech
	tor := seeding(3) // 2 regular + 1 optimistic
	s := newSim(t, cfg, tor, 0)
	s.add(Peer{Key: 1, Interested: true, HaveBytes: tor.TotalSize / 2})
	s.add(Peer{Key: 2, Interested: true, HaveBytes: 0})
	s.add(Peer{Key: 3, Interested: true, HaveBytes: tor.TotalSize * 95 / 100})
	s.add(Peer{Key: 4, Interested: true, HaveBytes: tor.TotalSize * 45 / 100})
	s.call()
	reg, _ := s.unchoked()
	slices.Sort(reg)
	if want := []PeerKey{2, 3}; !slices.Equal(reg, want) {
		t.Fatalf("regular %v, want %v", reg, want)
	}
}

func TestRateBasedSlots(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rates []int64 // bytes/s we upload to each peer over the round
		want  int
	}{
		{"nobody uploads: one slot to try", nil, 1},
		{"all below the threshold", []int64{1000, 500}, 1},
		{"one over", []int64{1024, 10}, 2},
		{"threshold grows by 2 KiB/s", []int64{100_000, 3072, 3071}, 3},
		{"third needs 5 KiB/s", []int64{100_000, 100_000, 5120, 5120}, 4},
		{"many fast", []int64{1e6, 1e6, 1e6, 1e6, 1e6}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Algorithm = RateBased
			c := New(cfg)
			var ps []*Peer
			for i, r := range tc.rates {
				ps = append(ps, &Peer{Key: PeerKey(i), Uploaded: r * 15})
			}
			if got := c.rateBasedSlots(ps, t0); got != tc.want {
				t.Fatalf("slots %d, want %d", got, tc.want)
			}
		})
	}
}

// The rate-based choker opens slots as uploads go well and ignores
// unchoke_slots_limit; it does not unchoke between rounds.
func TestRateBasedChoker(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Algorithm = RateBased
	s := newSim(t, cfg, seeding(2), 10)
	s.take = 100_000
	d := s.call()
	if d.Slots != 1 || len(d.Unchoke) != 1 {
		t.Fatalf("first round: slots %d unchoked %v, want 1 and 1", d.Slots, d.Unchoke)
	}
	s.run(5 * time.Minute)
	d = s.call()
	if d.Slots <= 2 {
		t.Fatalf("slots %d after fast uploads, want more than unchoke_slots_limit 2", d.Slots)
	}
	// A newcomer waits for the round for a regular slot (it may fill an
	// optimistic one left empty for want of candidates).
	s.add(Peer{Key: 99, Interested: true})
	s.now = s.now.Add(time.Second)
	if d := s.call(); slices.Contains(d.Unchoke, 99) && !slices.Contains(d.Optimistic, 99) {
		t.Fatalf("rate-based gave a newcomer a regular slot between rounds")
	}
}
