// Package choker decides which peers of a torrent we upload to, as
// libtorrent's choker does (src/choker.cpp and the session's unchoke
// rounds): a fixed or rate-based number of upload slots, filled by
// tit-for-tat while downloading (the peers that gave us the most data in
// the last round first) and by a seeding algorithm (round robin, fastest
// upload, anti-leech) otherwise; plus optimistic unchokes that rotate
// among the peers waiting longest, so that a peer with nothing to offer
// yet can start, and a free rider gets nothing but those.
//
// It is pure: the caller passes snapshots of its peers and the time, and
// applies the Decision (choke and unchoke messages) and the per-peer
// bookkeeping it describes.
package choker

import (
	"time"
)

// PeerKey identifies a peer of the torrent (the torrent actor's key).
type PeerKey uint64

// Algorithm is libtorrent's choking_algorithm_t.
type Algorithm int

const (
	// FixedSlots unchokes unchoke_slots_limit peers (-1: all).
	FixedSlots Algorithm = 0
	// RateBased opens a slot for each peer we upload to faster than a
	// threshold that grows by 2 KiB/s per slot (libtorrent's
	// rate_based_choker). libtorrent's deprecated values 1
	// (auto_expand) and 3 (bittyrant) choke as FixedSlots, as libtorrent
	// 2.0 does.
	RateBased Algorithm = 2
)

// SeedAlgorithm is libtorrent's seed_choking_algorithm_t: how peers that
// gave us the same (nothing, when seeding) are ranked.
type SeedAlgorithm int

const (
	// RoundRobin keeps the unchoked peers until they got
	// seeding_piece_quota pieces and a minute, then rotates them out.
	RoundRobin SeedAlgorithm = 0
	// FastestUpload prefers the peers we upload to fastest.
	FastestUpload SeedAlgorithm = 1
	// AntiLeech prefers peers that just started or almost finished
	// (Chow et al., "Improving BitTorrent: A Simple Approach").
	AntiLeech SeedAlgorithm = 2
)

// Config is the choker's part of the settings (libtorrent's defaults in
// DefaultConfig).
type Config struct {
	Algorithm     Algorithm     // choking_algorithm
	SeedAlgorithm SeedAlgorithm // seed_choking_algorithm
	// OptimisticSlots is num_optimistic_unchoke_slots; 0: a fifth of the
	// slots, at least one.
	OptimisticSlots int
	// UnchokeInterval and OptimisticInterval are unchoke_interval and
	// optimistic_unchoke_interval.
	UnchokeInterval, OptimisticInterval time.Duration
	// SeedingPieceQuota is seeding_piece_quota (round robin).
	SeedingPieceQuota int
	// RateThreshold is the rate-based choker's first threshold in bytes
	// a second (libtorrent's rate_choker_initial_threshold, 1024).
	RateThreshold int
}

// DefaultConfig is libtorrent's defaults.
func DefaultConfig() Config {
	return Config{
		Algorithm: FixedSlots, SeedAlgorithm: RoundRobin,
		UnchokeInterval: 15 * time.Second, OptimisticInterval: 30 * time.Second,
		SeedingPieceQuota: 20, RateThreshold: 1024,
	}
}

// Torrent is what the choker needs of the torrent the peers belong to.
type Torrent struct {
	// Slots are the upload slots the torrent may use (its share of the
	// session's unchoke_slots_limit; negative: unlimited). The
	// rate-based choker ignores them.
	Slots int
	// MaxUploads is the torrent's own max_uploads (0 or less: none); it
	// bounds its unchokes, regular and optimistic (not those of
	// ignore_unchoke_slots peers).
	MaxUploads int
	// Seeding: we have the whole torrent. Snubbing means nothing then
	// (we request nothing).
	Seeding bool
	// PieceLength and TotalSize are the torrent's (round robin's quota,
	// anti-leech's score).
	PieceLength, TotalSize int64
}

// Peer is a snapshot of one connected peer.
type Peer struct {
	Key PeerKey
	// Interested: it is interested in us; Unchoked: we unchoke it now;
	// Optimistic: that unchoke is an optimistic one.
	Interested, Unchoked, Optimistic bool
	// Snubbed: it left our requests unanswered; it gets no regular slot
	// while we download.
	Snubbed bool
	// IgnoreSlots is its peer classes' ignore_unchoke_slots: unchoked
	// whenever it is interested, outside the slots.
	IgnoreSlots bool
	// Downloaded and Uploaded are the payload bytes from it and to it
	// since the last regular round (Decision.Regular resets them).
	Downloaded, Uploaded int64
	// UploadedSinceUnchoke is the payload sent to it since we last
	// unchoked it; UploadedTotal since it connected.
	UploadedSinceUnchoke, UploadedTotal int64
	// HaveBytes is what it has: its pieces times the piece length.
	HaveBytes int64
	// LastUnchoke and LastOptimistic are when we last unchoked it, and
	// last unchoked it optimistically (zero: never); ConnectedAt when it
	// connected.
	LastUnchoke, LastOptimistic, ConnectedAt time.Time
}

// eligible says whether the peer may hold a regular slot.
func (p *Peer) eligible(t Torrent) bool {
	return p.Interested && !p.IgnoreSlots && (t.Seeding || !p.Snubbed)
}

// Decision is what a call decided.
type Decision struct {
	// Unchoke and Choke are the peers whose state changes. The caller
	// sets LastUnchoke to now and UploadedSinceUnchoke to 0 for those it
	// unchokes.
	Unchoke, Choke []PeerKey
	// Optimistic are the peers that hold an optimistic slot after the
	// call (others do not): those that did not before get LastOptimistic
	// set to now.
	Optimistic []PeerKey
	// Regular: a regular round ran; the caller starts a new round of
	// Downloaded and Uploaded counts.
	Regular bool
	// Slots are the torrent's upload slots, regular and optimistic
	// (negative: unlimited), as of the last regular round.
	Slots int
	// Next is when to call again if nothing happens before (zero: no
	// round is ever due, every interested peer is unchoked).
	Next time.Time
}

// Choker holds the round schedule of one torrent. The zero value is not
// ready: use New.
type Choker struct {
	cfg Config
	// nextRegular and nextOptimistic are when the rounds are due (zero:
	// now); lastRegular when the last regular round ran.
	nextRegular, nextOptimistic, lastRegular time.Time
	// rateSlots are the rate-based choker's slots of the last round.
	rateSlots int
}

// New returns a choker whose first rounds are due at once.
func New(cfg Config) *Choker {
	return &Choker{cfg: cfg, rateSlots: 1}
}

// SetConfig changes the settings; the rounds keep their schedule, but a
// shorter interval takes effect at once.
func (c *Choker) SetConfig(cfg Config) {
	if !c.lastRegular.IsZero() && cfg.UnchokeInterval < c.cfg.UnchokeInterval {
		c.nextRegular = c.lastRegular.Add(cfg.UnchokeInterval)
	}
	if cfg.OptimisticInterval < c.cfg.OptimisticInterval {
		c.nextOptimistic = time.Time{}
	}
	c.cfg = cfg
}

// Config returns the settings in use.
func (c *Choker) Config() Config { return c.cfg }

// Trigger makes a regular round due now (libtorrent's trigger_unchoke:
// the slots changed).
func (c *Choker) Trigger() { c.nextRegular = time.Time{} }
