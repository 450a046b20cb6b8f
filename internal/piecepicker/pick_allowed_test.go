package piecepicker

import (
	"slices"
	"testing"
)

func TestPickAllowed(t *testing.T) {
	tests := []struct {
		name    string
		peer    []int // pieces the peer has; nil: a seed
		have    []int // pieces we have
		started []int // pieces another peer has partly requested (one block)
		allowed []int
		max     int
		want    []Block
	}{
		{"only allowed pieces", nil, nil, nil, []int{5, 2}, 10,
			[]Block{{5, 0, BlockSize}, {5, BlockSize, BlockSize}, {2, 0, BlockSize}, {2, BlockSize, BlockSize}}},
		{"max caps", nil, nil, nil, []int{5, 2}, 3,
			[]Block{{5, 0, BlockSize}, {5, BlockSize, BlockSize}, {2, 0, BlockSize}}},
		{"peer lacks piece", []int{2}, nil, nil, []int{5, 2}, 10,
			[]Block{{2, 0, BlockSize}, {2, BlockSize, BlockSize}}},
		{"we have piece", nil, []int{5}, nil, []int{5}, 10, nil},
		{"out of range", nil, nil, nil, []int{-1, 8}, 10, nil},
		{"started piece gives its free block", nil, nil, []int{3}, []int{3}, 10,
			[]Block{{3, BlockSize, BlockSize}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(8, 32*kib, 8*32*kib)
			for _, i := range tt.have {
				p.SetHave(i)
			}
			if tt.peer == nil {
				p.PeerHaveAll(1)
			} else {
				p.PeerBitfield(1, bf(8, tt.peer...))
			}
			p.PeerHaveAll(2)
			for _, i := range tt.started {
				if got := p.PickAllowed(2, []int{i}, 1); len(got) != 1 {
					t.Fatalf("start %d: %v", i, got)
				}
			}
			got := p.PickAllowed(1, tt.allowed, tt.max)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("PickAllowed = %v, want %v", got, tt.want)
			}
			// The picked blocks are outstanding: a second pick skips them.
			if again := p.PickAllowed(1, tt.allowed, tt.max); len(tt.want) > 0 && slices.Contains(again, tt.want[0]) {
				t.Fatalf("picked %v twice", tt.want[0])
			}
		})
	}
}
