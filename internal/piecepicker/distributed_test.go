package piecepicker

import "testing"

func TestDistributedCopies(t *testing.T) {
	tests := []struct {
		name            string
		pieces          int
		have            []int   // ours
		peers           [][]int // non-seed peers' pieces
		seeds           int
		full, thousands int
	}{
		{name: "empty torrent", pieces: 0, full: 1},
		{name: "nobody has anything", pieces: 4, full: 0},
		{name: "we have half", pieces: 4, have: []int{0, 1}, full: 0, thousands: 500},
		{name: "we are a seed", pieces: 4, have: []int{0, 1, 2, 3}, full: 1},
		{name: "one seed peer", pieces: 4, seeds: 1, full: 1},
		{name: "two seeds and a quarter", pieces: 4, seeds: 2, peers: [][]int{{3}}, full: 2, thousands: 250},
		{name: "rarest decides", pieces: 4, peers: [][]int{{0, 1, 2}, {0, 1, 2}, {0}}, have: []int{1}, full: 0, thousands: 750},
		{name: "peers and us complete it", pieces: 3, peers: [][]int{{0, 1}, {0}}, have: []int{2}, full: 1, thousands: 333},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(tt.pieces, 16384, int64(tt.pieces)*16384)
			for _, i := range tt.have {
				p.SetHave(i)
			}
			for k, pieces := range tt.peers {
				p.PeerBitfield(PeerKey(k+1), bf(tt.pieces, pieces...))
			}
			for k := range tt.seeds {
				p.PeerHaveAll(PeerKey(100 + k))
			}
			full, th := p.DistributedCopies()
			if full != tt.full || th != tt.thousands {
				t.Fatalf("DistributedCopies() = %d, %d; want %d, %d", full, th, tt.full, tt.thousands)
			}
		})
	}
}
