package piecepicker

import (
	"fmt"
	"testing"
)

// check verifies the picker's internal bookkeeping; tests call it after
// every mutation so corruption is caught where it happens.
func (p *Picker) check() error {
	o := &p.order
	if int(o.start[len(o.start)-1]) != len(o.pieces) || o.start[0] != 0 {
		return fmt.Errorf("order bounds %d..%d, len %d", o.start[0], o.start[len(o.start)-1], len(o.pieces))
	}
	for b := 0; b < o.numBuckets(); b++ {
		if o.start[b] > o.start[b+1] {
			return fmt.Errorf("bucket %d start %d > next %d", b, o.start[b], o.start[b+1])
		}
		for i := o.start[b]; i < o.start[b+1]; i++ {
			pc := o.pieces[i]
			if o.pos[pc] != i || o.bucket[pc] != int32(b) {
				return fmt.Errorf("piece %d at %d bucket %d: pos %d bucket %d", pc, i, b, o.pos[pc], o.bucket[pc])
			}
			if want := o.key(p.prio[pc], p.avail[pc]); want != b {
				return fmt.Errorf("piece %d in bucket %d want %d", pc, b, want)
			}
		}
	}
	inOrder := 0
	for pc := 0; pc < p.numPieces; pc++ {
		should := p.dl[pc] == nil && p.wanted(pc)
		if o.has(pc) != should {
			return fmt.Errorf("piece %d in order=%v want %v", pc, o.has(pc), should)
		}
		if should {
			inOrder++
		}
	}
	if inOrder != len(o.pieces) {
		return fmt.Errorf("order has %d pieces, want %d", len(o.pieces), inOrder)
	}
	// Availability and interest.
	avail := make([]int32, p.numPieces)
	seeds := 0
	for k, ps := range p.peers {
		if ps.seed {
			seeds++
			continue
		}
		n, in := 0, 0
		ps.bits.each(func(i int) {
			avail[i]++
			n++
			if p.wanted(i) {
				in++
			}
		})
		if n != ps.count || in != ps.interesting {
			return fmt.Errorf("peer %d count %d/%d interesting %d/%d", k, ps.count, n, ps.interesting, in)
		}
	}
	if seeds != p.numSeeds {
		return fmt.Errorf("seeds %d want %d", p.numSeeds, seeds)
	}
	for i := range avail {
		if avail[i] != p.avail[i] {
			return fmt.Errorf("avail[%d] = %d want %d", i, p.avail[i], avail[i])
		}
	}
	// Downloading pieces and requests.
	held := map[PeerKey]int{}
	if len(p.dlList) > p.numPieces {
		return fmt.Errorf("dlList too long")
	}
	free := 0
	for i, pc := range p.dlList {
		d := p.dl[pc]
		if d == nil || d.dlPos != int32(i) {
			return fmt.Errorf("dlList[%d]=%d inconsistent", i, pc)
		}
		if p.have.Has(int(pc)) {
			return fmt.Errorf("downloading piece %d is had", pc)
		}
		nf, nr := 0, 0
		for blk := range d.blocks {
			bs := &d.blocks[blk]
			if bs.received {
				nr++
				if bs.n != 0 {
					return fmt.Errorf("received block %d/%d has holders", pc, blk)
				}
			} else if bs.n == 0 {
				nf++
				if blk < d.firstFree {
					return fmt.Errorf("free block %d/%d below firstFree %d", pc, blk, d.firstFree)
				}
			}
			for j := 0; j < int(bs.n); j++ {
				ps := p.peers[bs.holders[j]]
				if ps == nil || int(bs.slot[j]) >= len(ps.out) || ps.out[bs.slot[j]] != blockKey(int(pc), blk) {
					return fmt.Errorf("block %d/%d holder %d slot broken", pc, blk, bs.holders[j])
				}
				held[bs.holders[j]]++
			}
		}
		if nf != d.free || nr != d.received {
			return fmt.Errorf("piece %d free %d/%d received %d/%d", pc, d.free, nf, d.received, nr)
		}
		if nf == len(d.blocks) {
			return fmt.Errorf("piece %d downloading with nothing requested", pc)
		}
		wantFree := p.wanted(int(pc)) && nf > 0
		if (d.freePos >= 0) != wantFree || (wantFree && p.freeList[d.freePos] != pc) {
			return fmt.Errorf("piece %d freeList membership wrong", pc)
		}
		if wantFree {
			free++
		}
	}
	if free != len(p.freeList) {
		return fmt.Errorf("freeList has %d want %d", len(p.freeList), free)
	}
	dlCount := 0
	for pc := range p.dl {
		if p.dl[pc] != nil {
			dlCount++
		}
	}
	if dlCount != len(p.dlList) {
		return fmt.Errorf("dl has %d, dlList %d", dlCount, len(p.dlList))
	}
	for k, ps := range p.peers {
		if held[k] != len(ps.out) {
			return fmt.Errorf("peer %d out %d, holds %d", k, len(ps.out), held[k])
		}
	}
	// Counters.
	nh, nw, nwh := 0, 0, 0
	for pc := 0; pc < p.numPieces; pc++ {
		if p.have.Has(pc) {
			nh++
		}
		if p.prio[pc] > 0 {
			nw++
			if p.have.Has(pc) {
				nwh++
			}
		}
	}
	if nh != p.numHave || nw != p.numWanted || nwh != p.numWantedHave {
		return fmt.Errorf("counters have %d/%d wanted %d/%d wantedHave %d/%d", p.numHave, nh, p.numWanted, nw, p.numWantedHave, nwh)
	}
	return nil
}

func mustCheck(t testing.TB, p *Picker) {
	t.Helper()
	if err := p.check(); err != nil {
		t.Fatal(err)
	}
}
