package choker

import (
	"cmp"
	"slices"
	"time"
)

// quotaMinTime is how long round robin keeps a peer unchoked at least,
// whatever it got (libtorrent: one minute).
const quotaMinTime = time.Minute

// rateStep is how much faster each further slot of the rate-based choker
// must upload than the one before (libtorrent: 2 KiB/s).
const rateStep = 2048

// ranked returns the peers that may hold a regular slot, best first.
func (c *Choker) ranked(t Torrent, ps []Peer, now time.Time) []*Peer {
	var out []*Peer
	for i := range ps {
		if ps[i].eligible(t) {
			out = append(out, &ps[i])
		}
	}
	slices.SortStableFunc(out, func(a, b *Peer) int { return c.compare(t, a, b, now) })
	return out
}

// compare orders two peers for a regular slot, the preferred one first:
// tit-for-tat (those that sent us the most payload in the last round),
// then the seed choking algorithm, which alone decides when we seed (no
// peer sends us anything). Last, the peer connected longest.
func (c *Choker) compare(t Torrent, a, b *Peer, now time.Time) int {
	if r := cmp.Compare(b.Downloaded, a.Downloaded); r != 0 {
		return r
	}
	var r int
	switch c.cfg.SeedAlgorithm {
	case FastestUpload:
		r = cmp.Compare(b.Uploaded, a.Uploaded)
	case AntiLeech:
		r = cmp.Compare(antiLeechScore(t, b), antiLeechScore(t, a))
	default:
		r = c.compareRoundRobin(t, a, b, now)
	}
	if r != 0 {
		return r
	}
	// The one that has waited longest for an unchoke (libtorrent's last
	// tie-break; round robin relies on it).
	if r := a.LastUnchoke.Compare(b.LastUnchoke); r != 0 {
		return r
	}
	return olderFirst(a, b)
}

// compareRoundRobin keeps the peers we unchoke unchoked until they have
// had their quota (seeding_piece_quota pieces and a minute), then ranks
// them after everyone else; among equals the one we upload to fastest
// (a choked peer counts as 0: what still trickles in after a choke must
// not rank it first).
func (c *Choker) compareRoundRobin(t Torrent, a, b *Peer, now time.Time) int {
	qa, qb := c.quotaDone(t, a, now), c.quotaDone(t, b, now)
	if qa != qb {
		if qa {
			return 1
		}
		return -1
	}
	return cmp.Compare(unchokedUpload(b), unchokedUpload(a))
}

func (c *Choker) quotaDone(t Torrent, p *Peer, now time.Time) bool {
	return p.Unchoked && p.UploadedSinceUnchoke > t.PieceLength*int64(c.cfg.SeedingPieceQuota) &&
		now.Sub(p.LastUnchoke) > quotaMinTime
}

func unchokedUpload(p *Peer) int64 {
	if !p.Unchoked {
		return 0
	}
	return p.Uploaded
}

// antiLeechScore is libtorrent's anti-leech score, 0 to 1000: high for a
// peer that has little or almost everything, low at half. What we sent
// it counts as had (up to half), so that a peer cannot stay at the top
// by hiding its pieces.
func antiLeechScore(t Torrent, p *Peer) int64 {
	if t.TotalSize <= 0 {
		return 0
	}
	have := max(min(p.UploadedTotal, t.TotalSize/2), p.HaveBytes)
	d := (have - t.TotalSize/2) * 2000 / t.TotalSize
	if d < 0 {
		d = -d
	}
	return d
}

// rateBasedSlots counts the slots of the rate-based choker: walking the
// peers from the one we upload to fastest, one slot for each whose rate
// over the last round reaches the threshold, which grows by rateStep
// per slot; plus one, so that there is always a slot to try a new peer.
func (c *Choker) rateBasedSlots(ranked []*Peer, now time.Time) int {
	interval := now.Sub(c.lastRegular)
	if c.lastRegular.IsZero() || interval <= 0 {
		interval = c.cfg.UnchokeInterval
	}
	ms := max(interval.Milliseconds(), 1)
	byUpload := slices.Clone(ranked)
	slices.SortStableFunc(byUpload, func(a, b *Peer) int { return cmp.Compare(b.Uploaded, a.Uploaded) })
	slots, threshold := 0, int64(c.cfg.RateThreshold)
	for _, p := range byUpload {
		if p.Uploaded*1000/ms < threshold {
			break
		}
		slots++
		threshold += rateStep
	}
	return slots + 1
}

// olderFirst orders by connection time, then key: the stable last word.
func olderFirst(a, b *Peer) int {
	if r := a.ConnectedAt.Compare(b.ConnectedAt); r != 0 {
		return r
	}
	return cmp.Compare(a.Key, b.Key)
}
