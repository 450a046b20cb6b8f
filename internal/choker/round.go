package choker

import (
	"math"
	"slices"
	"time"
)

// unlimitedSlots stands for "no limit" in slot arithmetic.
const unlimitedSlots = math.MaxInt

// Round decides at now who is unchoked. Call it at Decision.Next and on
// every event that may change the answer: a peer's interest, a peer gone
// or come, its class or snubbing, the torrent's slots, max_uploads or
// seeding. Between rounds it only repairs (as libtorrent does on those
// events): a peer that lost interest is choked, an ignore_unchoke_slots
// peer that wants data is unchoked, a snubbed peer loses its regular
// slot, free slots go to the best waiting peers (fixed slots only: the
// rate-based choker waits for its round, like libtorrent's
// preemptive_unchoke), and a lost optimistic slot is refilled.
//
// peers is read, never changed; the Decision says what to apply.
func (c *Choker) Round(t Torrent, peers []Peer, now time.Time) Decision {
	ps := slices.Clone(peers)
	unlimited := c.cfg.Algorithm != RateBased && t.Slots < 0
	c.repair(t, ps)

	var d Decision
	optDue := !unlimited && !now.Before(c.nextOptimistic)
	if optDue {
		c.optimistic(t, ps, now, true)
	}
	// With no limit at all there is nothing to rotate: every call
	// unchokes every eligible peer, and no timer is needed.
	everyone := unlimited && t.MaxUploads <= 0
	if everyone || !now.Before(c.nextRegular) {
		d.Regular = !now.Before(c.nextRegular)
		if c.regular(t, ps, now, unlimited) && !unlimited {
			// A promoted optimistic peer frees its optimistic slot for
			// the next in line at once (libtorrent resets the optimistic
			// timer).
			c.optimistic(t, ps, now, true)
			optDue = true
		}
		if d.Regular {
			c.lastRegular = now
			c.nextRegular = now.Add(c.cfg.UnchokeInterval)
		}
	} else if c.cfg.Algorithm != RateBased {
		c.preempt(t, ps, now)
	}
	if optDue {
		c.nextOptimistic = now.Add(c.cfg.OptimisticInterval)
	} else if !unlimited {
		c.optimistic(t, ps, now, false) // refill a slot lost since
	}

	for i := range ps {
		switch {
		case ps[i].Unchoked && !peers[i].Unchoked:
			d.Unchoke = append(d.Unchoke, ps[i].Key)
		case !ps[i].Unchoked && peers[i].Unchoked:
			d.Choke = append(d.Choke, ps[i].Key)
		}
		if ps[i].Optimistic {
			d.Optimistic = append(d.Optimistic, ps[i].Key)
		}
	}
	d.Slots = c.slots(t)
	if d.Slots == unlimitedSlots {
		d.Slots = -1
	}
	if !everyone {
		d.Next = c.nextRegular
		if !unlimited && c.nextOptimistic.Before(d.Next) {
			d.Next = c.nextOptimistic
		}
	}
	return d
}

// slots are the torrent's upload slots, regular and optimistic.
func (c *Choker) slots(t Torrent) int {
	switch {
	case c.cfg.Algorithm == RateBased:
		return c.rateSlots
	case t.Slots < 0:
		return unlimitedSlots
	}
	return t.Slots
}

// optimisticTarget is the number of optimistic slots for slots slots.
func (c *Choker) optimisticTarget(slots int) int {
	if c.cfg.OptimisticSlots > 0 {
		return c.cfg.OptimisticSlots
	}
	return max(1, slots/5)
}

// repair applies what holds whatever the round: no unchoke for a peer
// that wants nothing, always one for an ignore_unchoke_slots peer that
// wants something, no regular slot for a snubbed peer.
func (c *Choker) repair(t Torrent, ps []Peer) {
	for i := range ps {
		p := &ps[i]
		switch {
		case !p.Interested:
			if p.Optimistic {
				c.nextOptimistic = time.Time{} // its slot goes to the next in line
			}
			p.Unchoked, p.Optimistic = false, false
		case p.IgnoreSlots:
			p.Unchoked, p.Optimistic = true, false
		case p.Unchoked && !p.Optimistic && !p.eligible(t):
			p.Unchoked = false
		}
	}
}

// regular is the regular round: the eligible peers ranked, the best ones
// unchoked in the slots left beside the optimistic ones, the others
// choked unless optimistic. It reports whether an optimistic peer was
// promoted to a regular slot.
func (c *Choker) regular(t Torrent, ps []Peer, now time.Time, unlimited bool) (promoted bool) {
	ranked := c.ranked(t, ps, now)
	if c.cfg.Algorithm == RateBased {
		c.rateSlots = c.rateBasedSlots(ranked, now)
	}
	allowed := c.slots(t)
	set := allowed
	if !unlimited {
		opt := countOptimistic(ps)
		if opt == 0 {
			opt = c.optimisticTarget(allowed)
		}
		set = allowed - opt
	}
	set = min(set, maxUploads(t)-countOptimistic(ps))
	for _, p := range ranked {
		if set > 0 {
			set--
			p.Unchoked = true
			if p.Optimistic {
				p.Optimistic, promoted = false, true
			}
		} else if p.Unchoked && !p.Optimistic {
			p.Unchoked = false
		}
	}
	return promoted
}

// preempt gives free regular slots to the best waiting peers between
// rounds. It leaves the optimistic slots to the optimistic round, so
// that the torrent never unchokes more than its slots (libtorrent's
// preemptive unchoke fills them all, and its next rounds take back the
// excess).
func (c *Choker) preempt(t Torrent, ps []Peer, now time.Time) {
	slots := c.slots(t)
	regular, opt, waiting := countRegular(ps), countOptimistic(ps), false
	for i := range ps {
		waiting = waiting || (!ps[i].Unchoked && ps[i].eligible(t))
	}
	set := slots
	if slots != unlimitedSlots {
		set = slots - max(opt, c.optimisticTarget(slots))
	}
	free := min(set-regular, maxUploads(t)-regular-opt)
	if !waiting || free <= 0 {
		return
	}
	for _, p := range c.ranked(t, ps, now) {
		if free == 0 {
			return
		}
		if !p.Unchoked {
			p.Unchoked = true
			free--
		}
	}
}

// optimistic hands out the optimistic slots to the interested peers that
// have waited longest for one. With rotate (the optimistic round) the
// current holders compete too and those not chosen again are choked;
// without (a refill) they keep their slots and only free ones are given.
func (c *Choker) optimistic(t Torrent, ps []Peer, now time.Time, rotate bool) {
	slots := c.slots(t)
	if slots == 0 || slots == unlimitedSlots {
		return
	}
	target := c.optimisticTarget(slots)
	held := countOptimistic(ps)
	if !rotate && held >= target {
		return
	}
	// The slots and max_uploads bound the optimistic unchokes too: as in
	// libtorrent, a torrent whose uploads are full takes no part.
	room := min(maxUploads(t), slots) - countRegular(ps)
	if !rotate {
		room -= held
	}
	var cands []*Peer
	for i := range ps {
		p := &ps[i]
		if p.Interested && !p.IgnoreSlots && (!p.Unchoked || (rotate && p.Optimistic)) {
			cands = append(cands, p)
		}
	}
	slices.SortStableFunc(cands, func(a, b *Peer) int {
		if c := a.LastOptimistic.Compare(b.LastOptimistic); c != 0 {
			return c
		}
		return olderFirst(a, b)
	})
	n := target
	if !rotate {
		n = target - held
	}
	n = min(n, room)
	for i, p := range cands {
		if i < n {
			if !p.Optimistic {
				p.LastOptimistic = now // ranks it last in the next rotation
			}
			p.Unchoked, p.Optimistic = true, true
		} else if p.Optimistic {
			p.Unchoked, p.Optimistic = false, false
		}
	}
}

func countOptimistic(ps []Peer) int {
	n := 0
	for i := range ps {
		if ps[i].Optimistic {
			n++
		}
	}
	return n
}

// countRegular counts the peers holding a regular slot.
func countRegular(ps []Peer) int {
	n := 0
	for i := range ps {
		if ps[i].Unchoked && !ps[i].Optimistic && !ps[i].IgnoreSlots {
			n++
		}
	}
	return n
}

func maxUploads(t Torrent) int {
	if t.MaxUploads <= 0 {
		return unlimitedSlots
	}
	return t.MaxUploads
}
