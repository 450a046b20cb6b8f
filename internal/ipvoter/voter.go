// Package ipvoter decides our external address from what others see of
// us (the "yourip" of peers' extension handshakes), as libtorrent's
// ip_voter does: each source votes once per address, the first vote
// sets the address when there is none, and a change needs a clear
// majority of enough votes. Pure: time is a parameter.
package ipvoter

import (
	"net/netip"
	"time"
)

// Limits of the voting, libtorrent's.
const (
	maxCandidates = 40              // addresses tracked at once
	rotateVotes   = 50              // votes that end a round
	rotateAfter   = 5 * time.Minute // or time, once a round has votes
	changeVotes   = 25              // votes before a new leader replaces the first address
)

type candidate struct {
	addr   netip.Addr
	voters map[netip.Addr]bool
}

// Voter is one session's vote. The zero value is ready (started at the
// first vote's time).
type Voter struct {
	candidates []*candidate
	voted      map[netip.Addr]bool // sources that voted this round, any address
	total      int
	external   netip.Addr
	valid      bool // a round settled the address
	lastRotate time.Time
}

// External is the address decided so far (invalid: none).
func (v *Voter) External() netip.Addr { return v.external }

// Vote records that source sees us at ip, and reports whether our
// external address changed. Unspecified, local and loopback addresses,
// and votes whose family differs from the source's, count for nothing.
func (v *Voter) Vote(now time.Time, ip, source netip.Addr) bool {
	ip, source = ip.Unmap(), source.Unmap()
	if v.lastRotate.IsZero() {
		v.lastRotate = now
	}
	if !ip.IsValid() || ip.IsUnspecified() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.Is4() != source.Is4() {
		return false
	}
	c := v.find(ip)
	if c == nil {
		if v.voted[source] {
			return v.maybeRotate(now)
		}
		if len(v.candidates) > maxCandidates {
			v.dropWeakest()
		}
		c = &candidate{addr: ip, voters: map[netip.Addr]bool{}}
		v.candidates = append(v.candidates, c)
	}
	if c.voters[source] {
		return v.maybeRotate(now)
	}
	c.voters[source] = true
	if v.voted == nil {
		v.voted = map[netip.Addr]bool{}
	}
	v.voted[source] = true
	v.total++
	if v.valid {
		return v.maybeRotate(now)
	}
	lead := v.leader()
	if lead.addr == v.external {
		return v.maybeRotate(now)
	}
	if v.external.IsValid() {
		if v.total >= changeVotes {
			return v.maybeRotate(now)
		}
		return false
	}
	v.external = lead.addr // the first vote names it
	return true
}

// maybeRotate ends a round when it has enough votes (or time), taking its
// leader as the address when it leads clearly.
func (v *Voter) maybeRotate(now time.Time) bool {
	if v.total < rotateVotes && (now.Sub(v.lastRotate) < rotateAfter || v.total == 0) && v.valid {
		return false
	}
	if len(v.candidates) == 0 {
		return false
	}
	lead, second := v.topTwo()
	if second == nil {
		if len(lead.voters) < 2 {
			return false
		}
	} else if len(lead.voters)*2/3 <= len(second.voters) {
		return false
	}
	changed := v.external != lead.addr
	v.external = lead.addr
	v.candidates, v.voted, v.total = nil, nil, 0
	v.lastRotate, v.valid = now, true
	return changed
}

func (v *Voter) find(ip netip.Addr) *candidate {
	for _, c := range v.candidates {
		if c.addr == ip {
			return c
		}
	}
	return nil
}

// leader is the candidate with most votes (the earliest among equals).
func (v *Voter) leader() *candidate {
	lead, _ := v.topTwo()
	return lead
}

func (v *Voter) topTwo() (first, second *candidate) {
	for _, c := range v.candidates {
		switch {
		case first == nil || len(c.voters) > len(first.voters):
			first, second = c, first
		case second == nil || len(c.voters) > len(second.voters):
			second = c
		}
	}
	return first, second
}

// dropWeakest forgets the candidate with fewest votes.
func (v *Voter) dropWeakest() {
	w := 0
	for i, c := range v.candidates {
		if len(c.voters) < len(v.candidates[w].voters) {
			w = i
		}
	}
	v.candidates = append(v.candidates[:w], v.candidates[w+1:]...)
}
