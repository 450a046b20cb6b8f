// Package turnover is libtorrent's peer turnover (session_impl's tick and
// torrent::disconnect_peers): every peer_turnover_interval, a session near
// its connection limit drops a few of its worst connections so that the
// peers it has not tried yet get a chance. Pure decisions: the session
// actor runs the rounds, the torrent actors pick the peers.
package turnover

import (
	"cmp"
	"slices"
	"time"
)

// Round is what one round asks of the torrents.
type Round struct {
	// Busiest: the session is at peer_turnover_cutoff percent of
	// connections_limit: only the torrent with the most peers (its
	// index; -1 when there is none) drops some.
	Busiest int
	// OwnLimit: the session is not; each torrent at the cutoff of its own
	// connection limit drops some.
	OwnLimit bool
}

// Plan is the session's part of a round: connections open of limit
// (connections_limit; turnover is off at 5 or less, "too disruptive"),
// cutoff percent (capped at 100), and each torrent's number of peers.
func Plan(connections, limit, cutoff int, peers []int) Round {
	if limit <= 5 {
		return Round{Busiest: -1}
	}
	cutoff = min(cutoff, 100)
	if int64(connections)*100 >= int64(limit)*int64(cutoff) && len(peers) > 0 {
		busiest := 0
		for i, n := range peers {
			if n > peers[busiest] {
				busiest = i
			}
		}
		return Round{Busiest: busiest}
	}
	return Round{Busiest: -1, OwnLimit: true}
}

// AtOwnLimit is a torrent's check in an OwnLimit round: peers at cutoff
// percent of its connection limit max, which is 6 or more.
func AtOwnLimit(peers, max, cutoff int) bool {
	return max >= 6 && int64(peers)*100 >= int64(max)*int64(min(cutoff, 100))
}

// Count is how many peers a torrent drops: turnover percent of its peers,
// at least one, and no more than the peers it could connect to instead
// (its connect candidates).
func Count(peers, turnover, candidates int) int {
	return min(max(peers*turnover/100, 1), candidates, peers)
}

// Peer is what the choice of the worst peers reads of one connection.
type Peer struct {
	Leaving     bool // told to disconnect already
	Interesting bool // we want pieces it has
	Seed        bool
	Parole      bool // use_parole_mode
	// DownloadRate is the payload rate we receive from it.
	DownloadRate int
	// LastPayload is when it last moved payload (or connected).
	LastPayload time.Time
}

// Worst returns the indices of the n worst peers, worst first, in
// libtorrent's order (compare_disconnect_peer): those leaving anyway,
// those we want nothing from, non-seeds, those on parole, the slowest to
// give us data, the one idle longest.
func Worst(ps []Peer, n int) []int {
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		a, b := &ps[i], &ps[j]
		if c := cmpTrueFirst(a.Leaving, b.Leaving); c != 0 {
			return c
		}
		if c := cmpTrueFirst(!a.Interesting, !b.Interesting); c != 0 {
			return c
		}
		if c := cmpTrueFirst(!a.Seed, !b.Seed); c != 0 {
			return c
		}
		if c := cmpTrueFirst(a.Parole, b.Parole); c != 0 {
			return c
		}
		if c := cmp.Compare(a.DownloadRate, b.DownloadRate); c != 0 {
			return c
		}
		return a.LastPayload.Compare(b.LastPayload)
	})
	return idx[:min(max(n, 0), len(idx))]
}

func cmpTrueFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
