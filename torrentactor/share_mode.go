package torrentactor

import (
	"math/rand/v2"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/sharemode"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// Share mode (libtorrent's): the torrent downloads only the pieces it
// expects to upload more than once (internal/sharemode decides, at
// libtorrent's moments: a peer's pieces became known or it left, a piece
// passed, and every tick for what it uploaded, which libtorrent checks
// after each piece sent; and on a HAVE). libtorrent overwrites
// the file priorities with 0 and sets the pieces it picks back to the
// default; ours keeps the user's priorities and narrows them: in share
// mode the picker holds the user's priority for the pieces share mode
// wants (and those had) and 0 for the rest, so leaving share mode gives
// the user's back and the torrent downloads as before.
//
// As in libtorrent, a share-mode torrent with nothing left to download is
// finished (state finished, torrent_finished), not seeding unless it has
// every piece; it goes back to downloading when it picks a piece. Unlike
// a finished torrent it keeps its seeds (libtorrent: "don't close
// connections in share mode, we don't know if we need them"), never says
// upload_only, and announces completed only with every piece.

// shareMode is the state of share mode (seedingModes); the torrent is in
// share mode while it exists.
type shareMode struct {
	// user are the user's piece priorities while the picker holds share
	// mode's (nil until the torrent has a picker).
	user []uint8
	// picked are the pieces share mode wants.
	picked bitfield.Bitfield
}

// sharing holds share mode's methods (the actor keeps its own under the
// budget).
type sharing struct{ *Actor }

func (a sharing) state() *shareMode {
	if a.seeding == nil {
		return nil
	}
	return a.seeding.share
}

// on: the torrent is in share mode.
func (a sharing) on() bool { return a.state() != nil }

// keepsSeeds: a finished torrent in share mode keeps its connections to
// seeds (it may want their pieces later), unless it is a seed itself.
func (a sharing) keepsSeeds() bool { return a.on() && !a.have.All() }

// turn turns share mode on or off without a picker to apply it to (at
// start, from the add flags or the resume data).
func (a sharing) turn(on bool) {
	switch {
	case on && !a.on():
		seedingOf(a.Actor).share = &shareMode{}
	case !on && a.on():
		a.seeding.share = nil
	}
}

// pickerMade: a check built a new picker with the user's priorities and
// the pieces had; in share mode the picker keeps them only for pieces
// had (nothing is wanted until share mode decides).
func (a sharing) pickerMade() {
	s := a.state()
	if s == nil {
		return
	}
	n := a.picker.NumPieces()
	s.user, s.picked = make([]uint8, n), bitfield.New(n)
	for p := range n {
		s.user[p] = uint8(a.picker.PiecePriority(p))
		if !a.picker.Have(p) {
			a.picker.SetPiecePriority(p, piecepicker.DontDownload)
		}
	}
}

// mask takes the user's new piece priorities (applyPiecePriorities) and
// returns what the picker holds: in share mode, the user's priority for
// the pieces share mode wants and those had, 0 for the rest.
func (a sharing) mask(prios []int) []int {
	s := a.state()
	if s == nil || a.picker == nil {
		return prios
	}
	if len(s.user) != len(prios) {
		s.user, s.picked = make([]uint8, len(prios)), bitfield.New(len(prios))
	}
	out := make([]int, len(prios))
	for p, prio := range prios {
		s.user[p] = uint8(clampPriority(prio))
		if s.picked.Has(p) || a.picker.Have(p) {
			out[p] = prio
		}
	}
	return out
}

// userPriorities are the user's piece priorities in share mode (nil out
// of it, or before the picker).
func (a sharing) userPriorities() []int {
	s := a.state()
	if s == nil || s.user == nil {
		return nil
	}
	out := make([]int, len(s.user))
	for p, prio := range s.user {
		out[p] = int(prio)
	}
	return out
}

// handleSetShareMode enters or leaves share mode (SetShareMode).
func (a sharing) handleSetShareMode(ctx actor.Context, m *messages.SetShareMode) {
	if m.On == a.on() || a.life.removing {
		return
	}
	a.resume.needSave = true
	if a.picker == nil {
		a.turn(m.On) // applied when the check builds the picker
		return
	}
	if !m.On {
		prios := a.userPriorities()
		if prios == nil {
			prios = priorities{a.Actor}.piecePriorities() // the files' say
		}
		a.turn(false)
		priorities{a.Actor}.applyPiecePriorities(ctx, prios)
		return
	}
	prios := priorities{a.Actor}.currentPiecePriorities()
	a.turn(true)
	priorities{a.Actor}.applyPiecePriorities(ctx, prios)
	a.recalc(ctx)
}

// recalc runs share mode's decision and applies it: seeds dropped, pieces
// wanted.
func (a sharing) recalc(ctx actor.Context) {
	s := a.state()
	if s == nil || s.user == nil || a.picker == nil || a.have.All() || !a.active() || a.diskErr.uploadMode {
		return
	}
	d := sharemode.Decide(a.decisionInput(s))
	if d.DropSeeds > 0 {
		a.dropSeeds(ctx, d.DropSeeds)
	}
	changed := false
	want := func(p int) {
		s.picked.Set(p)
		a.picker.SetPiecePriority(p, int(s.user[p]))
		changed = true
	}
	for _, p := range d.Restore {
		want(p)
	}
	if len(d.Rarest) > 0 {
		want(d.Rarest[rand.IntN(len(d.Rarest))])
	}
	if !changed {
		return
	}
	// Wanting pieces never completes the torrent; it may end its
	// finished state, and peers may become interesting.
	if !a.picker.IsComplete() && a.life.finished {
		a.change(ctx, event{kind: evUnfinished})
	}
	for p := range a.peers.open() {
		if p.connected {
			a.updateInterest(ctx, p)
		}
	}
}

// decisionInput is the torrent as share mode's decision sees it.
func (a sharing) decisionInput(s *shareMode) sharemode.Input {
	n := a.picker.NumPieces()
	in := sharemode.Input{
		NumPieces:      n,
		PieceLength:    a.info.PieceLength,
		Target:         a.set.Int(settings.ShareModeTarget),
		MaxConnections: a.maxPeers(),
		Uploaded:       a.resume.prevUpload + a.counters.payloadUpload,
		Have:           a.picker.NumHave(),
		Downloading:    a.picker.NumDownloading(),
	}
	for p := range n {
		if a.picker.PiecePriority(p) > 0 {
			in.Wanted++
		}
	}
	for p := range a.peers.open() {
		if !p.connected || p.leaving {
			continue
		}
		have := a.picker.PeerNumHave(piecepicker.PeerKey(p.key))
		in.Peers = append(in.Peers, sharemode.Peer{
			Seed: have == n, ShareMode: p.stats.ShareMode, UploadOnly: p.stats.UploadOnly, NumHave: have,
		})
	}
	in.Piece = func(p int) sharemode.Piece {
		return sharemode.Piece{
			Peers: a.picker.Availability(p), Have: a.picker.Have(p), Downloading: a.picker.Downloading(p),
			Wanted: s.picked.Has(p), Excluded: s.user[p] == 0,
		}
	}
	return in
}

// dropSeeds disconnects n seeds chosen at random: they leave room for
// downloaders.
func (a sharing) dropSeeds(ctx actor.Context, n int) {
	var seeds []*peerInfo
	for p := range a.peers.open() {
		if p.connected && !p.leaving && a.picker.PeerNumHave(piecepicker.PeerKey(p.key)) == a.picker.NumPieces() {
			seeds = append(seeds, p)
		}
	}
	rand.Shuffle(len(seeds), func(i, j int) { seeds[i], seeds[j] = seeds[j], seeds[i] })
	for _, p := range seeds[:min(n, len(seeds))] {
		p.leaving = true
		ctx.Send(p.pid, &messages.Disconnect{})
	}
}
