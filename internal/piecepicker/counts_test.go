package piecepicker

import "testing"

// The counts follow the picker's state: a piece enters the download queue
// with its first pick and leaves it once had; a peer's count follows its
// bitfield, HAVEs and HAVE ALL.
func TestCounts(t *testing.T) {
	p := New(4, 32*kib, 128*kib)
	p.PeerBitfield(1, bf(4, 0, 2))
	p.PeerHave(1, 3)
	p.PeerHaveAll(2)
	checks := []struct {
		name      string
		got, want int
	}{
		{"peer 1 has 3", p.PeerNumHave(1), 3},
		{"peer 2 is a seed", p.PeerNumHave(2), 4},
		{"unknown peer", p.PeerNumHave(9), 0},
		{"nothing downloading", p.NumDownloading(), 0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
	blocks := p.PickAllowed(1, []int{2}, 1)
	if len(blocks) != 1 || !p.Downloading(2) || p.Downloading(0) || p.NumDownloading() != 1 {
		t.Fatalf("after picking piece 2: %v, downloading(2)=%v, n=%d", blocks, p.Downloading(2), p.NumDownloading())
	}
	p.PiecePassed(2)
	if p.Downloading(2) || p.NumDownloading() != 0 || p.Downloading(-1) || p.Downloading(4) {
		t.Fatalf("after piece 2 passed: downloading(2)=%v, n=%d", p.Downloading(2), p.NumDownloading())
	}
}
