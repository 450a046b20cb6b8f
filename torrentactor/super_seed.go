package torrentactor

import (
	"math/rand/v2"
	"time"

	"github.com/actorrent/actorrent/internal/piecepicker"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/superseed"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// superSeed is the state of super seeding, BEP 16 (seedingModes).
type superSeed struct {
	// on is the switch: FlagSuperSeeding, the resume data's
	// super_seeding, SuperSeeding(bool).
	on bool
	// seeder decides what each peer is told while the switch is on and
	// the torrent is a seed; nil otherwise.
	seeder *superseed.Seeder
}

// superSeeder is super seeding's methods on the torrent: only a seed
// super seeds. libtorrent's rules for a torrent that is not one: the
// switch may be turned on at any time and is kept (status and resume data
// show it), but it acts only once every piece is had (libtorrent 2.0
// would act on it at once, announcing pieces it lacks); a check of the
// files that finds the torrent is not a seed turns it off (libtorrent's
// files_checked), so a torrent added with FlagSuperSeeding that is not
// complete downloads as usual.
type superSeeder struct{ *Actor }

// state is the super-seeding state, nil while it was never turned on.
func (a superSeeder) state() *superSeed {
	if a.seeding == nil {
		return nil
	}
	return a.seeding.super
}

// on: the switch is on.
func (a superSeeder) on() bool { s := a.state(); return s != nil && s.on }

// acting: peers are told of pieces one at a time now.
func (a superSeeder) acting() bool { s := a.state(); return s != nil && s.seeder != nil }

// setInitial sets the switch before the torrent runs (the add flag, then
// the resume data's key).
func (a superSeeder) setInitial(on bool) {
	if on || a.state() != nil {
		sm := seedingOf(a.Actor)
		if sm.super == nil {
			sm.super = &superSeed{}
		}
		sm.super.on = on
	}
}

// handleSet is SuperSeeding(bool).
func (a superSeeder) handleSet(ctx actor.Context, m *messages.SetSuperSeeding) {
	if m.On == a.on() {
		return
	}
	a.setInitial(m.On)
	a.resume.needSave = true
	a.sync(ctx)
}

// checked: the files were checked. A torrent that is not a seed does not
// super seed (libtorrent turns the switch off).
func (a superSeeder) checked(ctx actor.Context) {
	if a.on() && !a.have.All() {
		a.state().on = false
		a.resume.needSave = true
	}
	a.sync(ctx)
}

// sync starts or stops telling peers of pieces one at a time, to match
// the switch and whether the torrent is a seed. Starting, every peer is
// told of two pieces (those that saw all our pieces already may then
// request only those, as with libtorrent); stopping, every peer gets the
// full picture.
func (a superSeeder) sync(ctx actor.Context) {
	s := a.state()
	want := s != nil && s.on && a.picker != nil && a.have.All()
	switch {
	case s == nil || want == (s.seeder != nil):
		return
	case want:
		s.seeder = superseed.New(a.info.NumPieces(), rand.IntN)
		for p := range a.peers.all() {
			if p.closed || p.leaving {
				continue
			}
			ctx.Send(p.pid, &messages.SuperSeedPieces{On: true, Allowed: [2]int{superseed.None, superseed.None}})
			if p.connected {
				a.apply(ctx, s.seeder.Connected(a.swarm(), superseed.PeerKey(p.key), p.wants, time.Now()))
			}
		}
	default:
		s.seeder = nil
		for p := range a.peers.all() {
			if !p.closed {
				ctx.Send(p.pid, &messages.SuperSeedPieces{})
			}
		}
	}
}

// The swarm's events, while acting.

func (a superSeeder) peerConnected(ctx actor.Context, p *peerInfo) {
	if a.acting() {
		a.apply(ctx, a.state().seeder.Connected(a.swarm(), superseed.PeerKey(p.key), p.wants, time.Now()))
	}
}

func (a superSeeder) peerBitfield(ctx actor.Context, k messages.PeerKey) {
	if a.acting() {
		a.apply(ctx, a.state().seeder.Bitfield(a.swarm(), superseed.PeerKey(k)))
	}
}

func (a superSeeder) peerHave(ctx actor.Context, k messages.PeerKey, piece int) {
	if a.acting() {
		sd := a.state().seeder
		sd.SetStrict(a.set.Bool(settings.StrictSuperSeeding))
		a.apply(ctx, sd.Have(a.swarm(), superseed.PeerKey(k), piece))
	}
}

func (a superSeeder) peerInterest(k messages.PeerKey, interested bool) {
	if a.acting() {
		a.state().seeder.Interest(superseed.PeerKey(k), interested, time.Now())
	}
}

func (a superSeeder) peerGone(k messages.PeerKey) {
	if a.acting() {
		a.state().seeder.Removed(superseed.PeerKey(k))
	}
}

func (a superSeeder) tick(ctx actor.Context) {
	if a.acting() {
		a.apply(ctx, a.state().seeder.Tick(a.swarm(), time.Now()))
	}
}

// apply sends each peer what the seeder decided for it.
func (a superSeeder) apply(ctx actor.Context, rs []superseed.Reveal) {
	for _, r := range rs {
		p := a.peers.get(messages.PeerKey(r.Peer))
		if p == nil || p.closed {
			continue
		}
		m := &messages.SuperSeedPieces{On: true, Allowed: r.Allowed}
		if r.Piece != superseed.None {
			m.Have = []int{r.Piece}
		}
		ctx.Send(p.pid, m)
	}
}

// swarm is the picker, as the seeder reads it.
func (a superSeeder) swarm() superseed.Swarm { return pickerSwarm{a.picker} }

type pickerSwarm struct{ p *piecepicker.Picker }

func (s pickerSwarm) Availability(piece int) int { return s.p.Availability(piece) }

func (s pickerSwarm) PeerHasPiece(k superseed.PeerKey, piece int) bool {
	return s.p.PeerHasPiece(piecepicker.PeerKey(k), piece)
}
