package torrentactor

import (
	"net/netip"
	"time"

	"github.com/actorrent/actorrent/internal/choker"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
)

// The choker (internal/choker) decides whom the torrent uploads to; this
// file feeds it and applies its decisions. It runs on every event that
// may change the answer (rechoke: a peer's interest, a peer gone, its
// snubbing, max_uploads, settings) and on a timer armed for the next
// round only while some peer is interested or unchoked: a torrent whose
// peers want nothing from it has no choker timer.
//
// The session's unchoke_slots_limit is shared by its torrents through
// Config.UploadSlots (actors.UploadSlots says how): each torrent uses its
// share of it. Peers whose classes have ignore_unchoke_slots (by default
// the local class: LAN and loopback peers, as in libtorrent) are unchoked
// whenever interested and take no slot.

// choking holds the choker's methods.
type choking struct{ *Actor }

// chokeRound: the choker's timer fired.
type chokeRound struct{}

// chokeState is the torrent's choker, made with the first rechoke (an
// idle torrent carries none).
type chokeState struct {
	ch    *choker.Choker
	timer scheduler.CancelFunc
	at    time.Time // when the timer fires (zero: not armed)
	// held are the session's upload slots the torrent holds; wants: it is
	// counted among the torrents that want slots.
	held  int
	wants bool
	snap  []choker.Peer // reused between rounds
}

// peerChoke is what the choker needs to know of a peer beyond its
// interest and choke state.
type peerChoke struct {
	optimistic, snubbed bool
	numHave             int
	// downloaded and uploaded are the payload bytes from and to it since
	// the last regular round; sinceUnchoke since we last unchoked it;
	// uploadedTotal since it connected.
	downloaded, uploaded, sinceUnchoke, uploadedTotal int64
	lastUnchoke, lastOptimistic                       time.Time
}

// chokerConfig is the choker's part of the settings.
func chokerConfig(s *settings.Snapshot) choker.Config {
	c := choker.DefaultConfig()
	c.Algorithm = choker.Algorithm(s.Int(settings.ChokingAlgorithm))
	c.SeedAlgorithm = choker.SeedAlgorithm(s.Int(settings.SeedChokingAlgorithm))
	c.OptimisticSlots = s.Int(settings.NumOptimisticUnchokeSlots)
	// A zero interval would make every call a round: a second at least,
	// libtorrent's tick.
	c.UnchokeInterval = max(s.Seconds(settings.UnchokeInterval), time.Second)
	c.OptimisticInterval = max(s.Seconds(settings.OptimisticUnchokeInterval), time.Second)
	c.SeedingPieceQuota = s.Int(settings.SeedingPieceQuota)
	return c
}

func (a choking) chokeState() *chokeState {
	if a.chk == nil {
		a.chk = &chokeState{ch: choker.New(chokerConfig(a.set))}
	}
	return a.chk
}

// rechoke runs the choker now and applies its decision.
func (a choking) rechoke(ctx actor.Context) {
	if a.ticks.stopped {
		return // stopping: its slots are given back (releaseUploadSlots)
	}
	c := a.chokeState()
	now := time.Now()
	c.snap = c.snap[:0]
	busy, wants := false, false
	for p := range a.peers.all() {
		if p.closed || p.leaving {
			continue
		}
		cp := a.chokePeer(p.key, p)
		c.snap = append(c.snap, cp)
		busy = busy || cp.Interested || cp.Unchoked
		wants = wants || (cp.Interested && !cp.IgnoreSlots)
	}
	if s := a.cfg.UploadSlots; s != nil {
		s.Want(c.wants, wants)
	}
	c.wants = wants
	d := c.ch.Round(a.chokeTorrent(c), c.snap, now)
	a.applyChoke(ctx, d, now)
	c.held = a.holdUploadSlots(c)
	if !busy {
		d.Next = time.Time{}
	}
	a.armChoke(ctx, c, now, d.Next)
}

// triggerRechoke runs a regular round now (the slots changed).
func (a choking) triggerRechoke(ctx actor.Context) {
	a.chokeState().ch.Trigger()
	a.rechoke(ctx)
}

func (a choking) handleChokeRound(ctx actor.Context) {
	if c := a.chk; c != nil {
		c.timer, c.at = nil, time.Time{}
		a.rechoke(ctx)
	}
}

// chokePeer is the choker's snapshot of a peer. Peer keys grow with each
// connection, so the choker's last tie-break (connection time, then key)
// needs no connection time: the key alone is connection order.
func (a choking) chokePeer(k messages.PeerKey, p *peerInfo) choker.Peer {
	var have int64
	if a.info != nil {
		have = int64(p.ch.numHave) * a.info.PieceLength
	}
	return choker.Peer{
		Key: choker.PeerKey(k), Interested: p.wants, Unchoked: p.unchoked, Optimistic: p.ch.optimistic,
		Snubbed: p.ch.snubbed, IgnoreSlots: a.ignoresUnchokeSlots(p),
		Downloaded: p.ch.downloaded, Uploaded: p.ch.uploaded,
		UploadedSinceUnchoke: p.ch.sinceUnchoke, UploadedTotal: p.ch.uploadedTotal, HaveBytes: have,
		LastUnchoke: p.ch.lastUnchoke, LastOptimistic: p.ch.lastOptimistic,
	}
}

// ignoresUnchokeSlots: the peer's classes have ignore_unchoke_slots.
func (a choking) ignoresUnchokeSlots(p *peerInfo) bool {
	gate := a.cfg.Bandwidth
	if gate == nil {
		return false
	}
	ap, err := netip.ParseAddrPort(p.addr)
	if err != nil {
		return false
	}
	return gate.IgnoreUnchokeSlots(gate.ClassMask(ap.Addr(), socketType(p)))
}

// chokeTorrent is what the choker needs of the torrent.
func (a choking) chokeTorrent(c *chokeState) choker.Torrent {
	t := choker.Torrent{MaxUploads: a.cfg.Limits.MaxUploads, Seeding: a.life.finished}
	if a.info != nil {
		t.PieceLength, t.TotalSize = a.info.PieceLength, a.info.TotalLength
	}
	if s := a.cfg.UploadSlots; s != nil {
		t.Slots = s.Available(c.held)
	} else {
		t.Slots = a.set.Int(settings.UnchokeSlotsLimit)
	}
	return t
}

// applyChoke sends the chokes and unchokes and keeps the per-peer records.
func (a choking) applyChoke(ctx actor.Context, d choker.Decision, now time.Time) {
	for _, k := range d.Unchoke {
		if p := a.peers.get(messages.PeerKey(k)); p != nil {
			p.unchoked = true
			p.ch.lastUnchoke, p.ch.sinceUnchoke = now, 0
			ctx.Send(p.pid, &messages.SetChoke{Choke: false})
		}
	}
	for _, k := range d.Choke {
		if p := a.peers.get(messages.PeerKey(k)); p != nil {
			p.unchoked = false
			ctx.Send(p.pid, &messages.SetChoke{Choke: true})
		}
	}
	opt := make(map[choker.PeerKey]bool, len(d.Optimistic))
	for _, k := range d.Optimistic {
		opt[k] = true
	}
	for p := range a.peers.all() {
		o := opt[choker.PeerKey(p.key)]
		if o && !p.ch.optimistic {
			p.ch.lastOptimistic = now
		}
		p.ch.optimistic = o
		if d.Regular {
			p.ch.downloaded, p.ch.uploaded = 0, 0
		}
	}
}

// holdUploadSlots takes or gives back session slots to match the peers
// unchoked in them, and returns what the torrent holds.
func (a choking) holdUploadSlots(c *chokeState) int {
	s := a.cfg.UploadSlots
	if s == nil {
		return 0
	}
	n := 0
	for i := range c.snap {
		if p := a.peers.get(messages.PeerKey(c.snap[i].Key)); p != nil && p.unchoked && !c.snap[i].IgnoreSlots {
			n++
		}
	}
	return s.Hold(c.held, n)
}

// armChoke sets the choker's timer for at (zero: none), keeping one set
// for that moment.
func (a choking) armChoke(ctx actor.Context, c *chokeState, now, at time.Time) {
	if at.Equal(c.at) && (c.timer != nil || at.IsZero()) {
		return
	}
	if c.timer != nil {
		c.timer()
	}
	c.timer, c.at = nil, at
	if at.IsZero() || a.ticks.stopped {
		return
	}
	c.timer = scheduler.NewTimerScheduler(ctx).SendOnce(max(at.Sub(now), time.Millisecond), ctx.Self(), &chokeRound{})
}

// notePeerChokeStats counts a peer's bytes for the choker and notes its
// snubbing; a peer that became snubbed loses its slot at once.
func (a choking) notePeerChokeStats(ctx actor.Context, p *peerInfo, m *messages.PeerStats) {
	ch := &p.ch
	ch.downloaded += m.PayloadDownload
	ch.uploaded += m.PayloadUpload
	ch.sinceUnchoke += m.PayloadUpload
	ch.uploadedTotal += m.PayloadUpload
	ch.numHave = m.NumHave
	if m.Snubbed != ch.snubbed {
		ch.snubbed = m.Snubbed
		if p.wants && !p.closed && !p.leaving {
			a.rechoke(ctx)
		}
	}
}

// chokeSettingsChanged gives the choker the new settings and reruns it.
func (a choking) chokeSettingsChanged(ctx actor.Context, old *settings.Snapshot) {
	if a.chk == nil {
		return
	}
	if chokerConfig(old) != chokerConfig(a.set) || old.Int(settings.UnchokeSlotsLimit) != a.set.Int(settings.UnchokeSlotsLimit) {
		a.chk.ch.SetConfig(chokerConfig(a.set))
		a.triggerRechoke(ctx)
	}
}

// releaseUploadSlots gives back the session's slots and stops the timer
// (the torrent stops).
func (a choking) releaseUploadSlots() {
	c := a.chk
	if c == nil {
		return
	}
	if s := a.cfg.UploadSlots; s != nil {
		c.held = s.Hold(c.held, 0)
		s.Want(c.wants, false)
		c.wants = false
	}
	if c.timer != nil {
		c.timer()
		c.timer, c.at = nil, time.Time{}
	}
}
