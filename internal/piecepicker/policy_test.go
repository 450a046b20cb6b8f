package piecepicker

import (
	"testing"
)

// RandomBelow: until we have that many pieces, the first new piece is not
// always the rarest; from then on it is. Priorities still come first.
func TestRandomBelowThreshold(t *testing.T) {
	// 64 one-block pieces; piece 10 is the rarest (one peer less).
	setup := func(seed int64, pol Policy, have int) *Picker {
		p := New(64, 16*kib, 64*16*kib)
		p.SetSeed(seed)
		p.SetPolicy(pol)
		for pc := range 64 {
			if pc != 10 {
				p.PeerHave(100, pc)
			}
		}
		for pc := range have {
			p.SetHave(63 - pc)
		}
		p.PeerHaveAll(1)
		return p
	}
	tests := []struct {
		name       string
		pol        Policy
		have       int
		wantRarest bool // piece 10 first in every run
	}{
		{"rarest first (threshold 0)", Policy{}, 0, true},
		{"random under the threshold", Policy{RandomBelow: 4}, 0, false},
		{"random with 3 of 4", Policy{RandomBelow: 4}, 3, false},
		{"rarest first at the threshold", Policy{RandomBelow: 4}, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rarest := 0
			const runs = 20
			for seed := range int64(runs) {
				p := setup(seed, tt.pol, tt.have)
				got := p.Pick(1, 1)
				mustCheck(t, p)
				if len(got) != 1 {
					t.Fatalf("picked %v", got)
				}
				if got[0].Piece == 10 {
					rarest++
				}
			}
			if tt.wantRarest && rarest != runs || !tt.wantRarest && rarest == runs {
				t.Fatalf("the rarest piece came first in %d of %d runs", rarest, runs)
			}
		})
	}
	// A random pick still takes the highest priority first.
	p := setup(1, Policy{RandomBelow: 4}, 0)
	for pc := range 64 {
		if pc != 40 {
			p.SetPiecePriority(pc, 1)
		}
	}
	if got := pickPieces(p.Pick(1, 2)); len(got) != 2 || got[0] != 40 {
		t.Fatalf("picked %v, want piece 40 (the only one at the default priority) first", got)
	}
}

// LooseEndGame: a peer with nothing outstanding whose pieces are all
// requested from others gets one of their blocks even while pieces it
// lacks are untouched; strict, it waits for the end game.
func TestLooseEndGame(t *testing.T) {
	tests := []struct {
		pol  Policy
		want int
	}{
		{Policy{}, 0},
		{Policy{LooseEndGame: true}, 1},
	}
	for _, tt := range tests {
		p := New(2, 32*kib, 64*kib)
		p.SetPolicy(tt.pol)
		p.PeerBitfield(1, bf(2, 0))
		p.PeerBitfield(2, bf(2, 0))
		p.Pick(1, 10) // both blocks of piece 0; piece 1 nobody has
		got := p.Pick(2, 10)
		mustCheck(t, p)
		if len(got) != tt.want || p.InEndGame() {
			t.Fatalf("%+v: peer 2 got %v (end game %v), want %d blocks", tt.pol, got, p.InEndGame(), tt.want)
		}
		if again := p.Pick(2, 10); len(again) != 0 {
			t.Fatalf("%+v: with a request outstanding peer 2 got %v", tt.pol, again)
		}
	}
}

// AutoSequential: a swarm of at least ten seeds with ten times as many
// seeds as downloaders is picked in index order.
func TestAutoSequential(t *testing.T) {
	tests := []struct {
		name         string
		pol          Policy
		seeds, other int
		want         bool
	}{
		{"off", Policy{}, 20, 0, false},
		{"ten seeds", Policy{AutoSequential: true}, 10, 1, true},
		{"nine seeds", Policy{AutoSequential: true}, 9, 0, false},
		{"too many downloaders", Policy{AutoSequential: true}, 20, 3, false},
		{"twenty seeds, two downloaders", Policy{AutoSequential: true}, 20, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(64, 16*kib, 64*16*kib)
			p.SetSeed(3)
			p.SetPolicy(tt.pol)
			for k := range tt.seeds {
				p.PeerHaveAll(PeerKey(100 + k))
			}
			for k := range tt.other {
				p.PeerBitfield(PeerKey(200+k), bf(64, 5))
			}
			if got := p.PickingSequentially(); got != tt.want {
				t.Fatalf("sequential %v, want %v", got, tt.want)
			}
			got := pickPieces(p.Pick(100, 4))
			mustCheck(t, p)
			if inOrder := len(got) == 4 && got[0] == 0 && got[1] == 1 && got[2] == 2 && got[3] == 3; tt.want && !inOrder {
				t.Fatalf("picked %v, want 0 1 2 3", got)
			}
		})
	}
}
