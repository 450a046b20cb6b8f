package piecepicker

import (
	"math/rand/v2"
	"testing"
)

// downloadAll picks and receives every block of p with the given peers,
// each asking for batch blocks per turn (batch(turn) lets it vary), and
// returns the number of blocks received.
func downloadAll(tb testing.TB, p *Picker, peers []PeerKey, batch func() int) int {
	blocks := 0
	for turn := 0; !p.IsComplete(); turn++ {
		progress := false
		for _, k := range peers {
			for _, b := range p.Pick(k, batch()) {
				ok, _, done := p.BlockReceived(k, b)
				if !ok {
					tb.Fatalf("block %v rejected", b)
				}
				blocks++
				progress = true
				if done {
					p.PiecePassed(b.Piece)
				}
			}
		}
		if !progress {
			tb.Fatalf("stalled with %d/%d pieces", p.NumHave(), p.NumPieces())
		}
	}
	return blocks
}

// setupPeers makes 6 seeds and 2 peers with a random half of the pieces.
func setupPeers(p *Picker, n int, r *rand.Rand) []PeerKey {
	var peers []PeerKey
	for k := PeerKey(1); k <= 8; k++ {
		peers = append(peers, k)
		if k <= 6 {
			p.PeerHaveAll(k)
			continue
		}
		b := bf(n)
		for i := 0; i < n; i++ {
			if r.IntN(2) == 0 {
				b.Set(i)
			}
		}
		p.PeerBitfield(k, b)
	}
	return peers
}

// BenchmarkPickWholeTorrent picks and receives every block of a 64 GiB
// torrent with 4 MiB pieces (16384 pieces x 256 blocks) from 8 peers.
func BenchmarkPickWholeTorrent(b *testing.B) {
	const (
		pieceLen = 4 << 20
		total    = 64 << 30
		n        = total / pieceLen
	)
	var blocks int
	for i := 0; i < b.N; i++ {
		p := New(n, pieceLen, total)
		p.SetSeed(int64(i))
		r := rand.New(rand.NewPCG(uint64(i), 2))
		peers := setupPeers(p, n, r)
		blocks += downloadAll(b, p, peers, func() int { return 250 })
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(blocks), "ns/block")
}

// BenchmarkPick1GiB20Peers is the brief's sizing case: 1 GiB, 1 MiB
// pieces, 20 peers (half seeds) asking for 64..250 blocks at a time.
func BenchmarkPick1GiB20Peers(b *testing.B) {
	const (
		pieceLen = 1 << 20
		total    = 1 << 30
		n        = total / pieceLen
	)
	var blocks int
	for i := 0; i < b.N; i++ {
		p := New(n, pieceLen, total)
		p.SetSeed(int64(i))
		r := rand.New(rand.NewPCG(uint64(i), 3))
		p.SetPolicy(Policy{PartialsByRarity: true, RandomBelow: 4}) // the defaults (torrentactor/pick_policy.go)
		var peers []PeerKey
		for k := PeerKey(1); k <= 20; k++ {
			peers = append(peers, k)
			if k%2 == 0 {
				p.PeerHaveAll(k)
				continue
			}
			bits := bf(n)
			for j := 0; j < n; j++ {
				if r.IntN(3) != 0 {
					bits.Set(j)
				}
			}
			p.PeerBitfield(k, bits)
		}
		blocks += downloadAll(b, p, peers, func() int { return 64 + r.IntN(187) })
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(blocks), "ns/block")
}
