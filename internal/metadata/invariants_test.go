package metadata

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// checkInvariants verifies the Fetcher's bookkeeping agrees with itself.
func checkInvariants(t *testing.T, f *Fetcher) {
	t.Helper()
	if len(f.order) != len(f.peers) {
		t.Fatalf("order has %d peers, map %d", len(f.order), len(f.peers))
	}
	for _, k := range f.order {
		if f.peers[k] == nil {
			t.Fatalf("order lists unknown peer %d", k)
		}
	}
	if f.completed {
		return
	}
	inFlight, have := 0, 0
	perPeer := map[PeerKey]int{}
	for i, pc := range f.pieces {
		if pc.asking {
			inFlight++
			perPeer[pc.askedOf]++
			p := f.peers[pc.askedOf]
			if p == nil || !p.asked[i] {
				t.Fatalf("piece %d asked of %d, who does not know it", i, pc.askedOf)
			}
		}
		if pc.data != nil {
			have++
			if len(pc.data) != pieceLen(f.size, i) {
				t.Fatalf("piece %d holds %d bytes", i, len(pc.data))
			}
		}
	}
	if inFlight != f.inFlight || have != f.have {
		t.Fatalf("inFlight %d (counted %d), have %d (counted %d)", f.inFlight, inFlight, f.have, have)
	}
	for k, p := range f.peers {
		if p.inFlight != perPeer[k] || p.inFlight > f.cfg.MaxInFlight {
			t.Fatalf("peer %d inFlight %d, counted %d", k, p.inFlight, perPeer[k])
		}
	}
	if f.soloOn && f.peers[f.solo] == nil {
		t.Fatalf("solo peer %d is gone", f.solo)
	}
}

// TestFetcherRandomSwarms throws random mixes of peers, joins, leaves and
// delays at the Fetcher. Bookkeeping must stay consistent, honest peers
// must never be convicted, and if an honest peer stays the fetch finishes
// with the right bytes.
func TestFetcherRandomSwarms(t *testing.T) {
	info, ih := testInfo(t, 5*PieceSize+77)
	for seed := uint64(0); seed < 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 1))
		s := newSwarm(t, info, ih, FetcherConfig{MaxInFlight: 1 + r.IntN(3)})
		kinds := []behaviour{honest, liar, rejects, silent, slow}
		n := 1 + r.IntN(6)
		for k := 1; k <= n; k++ {
			p := &simPeer{key: PeerKey(k), how: kinds[r.IntN(len(kinds))], liePiece: r.IntN(6)}
			if r.IntN(8) == 0 {
				p.size, p.info = 900, bytes.Repeat([]byte{byte(k)}, 900)
			}
			s.add(p)
		}
		stayer := &simPeer{key: 100} // an honest peer that never leaves
		s.add(stayer)
		for step := 0; step < 400 && !s.f.Done(); step++ {
			switch r.IntN(10) {
			case 0: // someone leaves
				if k := PeerKey(1 + r.IntN(n)); s.peers[k] != nil {
					s.f.RemovePeer(k)
				}
			case 1: // time passes
				s.now = s.now.Add(time.Duration(r.IntN(30)) * time.Second)
			default:
				s.run(1)
			}
			checkInvariants(t, s.f)
		}
		s.run(1000)
		checkInvariants(t, s.f)
		if !s.f.Done() || !bytes.Equal(s.f.Info(), info) {
			t.Fatalf("seed %d: not done (progress %v)", seed, fmtProgress(s.f))
		}
		for _, k := range s.dropped {
			if p := s.peers[k]; p.how != liar && p.info == nil {
				t.Fatalf("seed %d: honest peer %d (%v) convicted", seed, k, p.how)
			}
		}
		if slices.Contains(s.dropped, stayer.key) {
			t.Fatalf("seed %d: the stayer was dropped", seed)
		}
	}
}
