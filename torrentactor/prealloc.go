package torrentactor

import (
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/metadata"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/peerlist"
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/asynkron/protoactor-go/actor"
)

// Prealloc is a torrent actor's memory (the actor, its configuration and
// its props), allocated ahead of its spawn by the goroutine that adds the
// torrent rather than by the session actor, which spawns every torrent of
// a session on its one goroutine. Measured with 100k paused adds (demo
// scale add, CPU profile): allocating the 1 KiB actor and the props was
// a third of the session actor's time per add, nearly all of it
// first-touch page faults of fresh heap; on the adding goroutine that
// work runs in parallel with the session's spawning of the torrents added
// before it.
//
// A Prealloc is used by one New; New makes its own for a nil or used one.
type Prealloc struct {
	actor *Actor         // the first incarnation's; nil once produced
	cfg   *torrentConfig // New fills it
	props *actor.Props
	taken bool // New used it
	// queued and queuePos: Config's, for the first incarnation (int32
	// keeps the struct in its 32-byte size class).
	queued   bool
	queuePos int32
}

// Preallocate allocates a torrent actor's memory for Config.Prealloc.
func Preallocate() *Prealloc {
	// One allocation for the three: 1024 + 216 + 32 bytes fill the
	// 1280-byte size class exactly, as the three classes they would
	// take apart (1024, 224, 32) do, for two allocations fewer per add.
	b := &struct {
		p     Prealloc
		actor Actor
		cfg   torrentConfig
	}{}
	p := &b.p
	p.actor, p.cfg = &b.actor, &b.cfg
	p.props = actor.PropsFromProducer(p.produce, lockfreeMailbox)
	return p
}

// lockfreeMailbox is every torrent's mailbox option, made once (two
// closures fewer per added torrent). The lock-free mailbox holds a
// 48-byte stub while empty, where the default ring holds 10 slots: most
// torrents are idle.
var lockfreeMailbox = actor.WithMailbox(actor.UnboundedLockfree())

// produce makes the torrent actor. The actor uses the props'
// configuration in place rather than a copy, and the first incarnation
// the preallocated memory; a second incarnation, which the torrent's
// resume strategy never makes, would copy the configuration as the first
// left it.
func (p *Prealloc) produce() actor.Actor {
	own, a := p.cfg, p.actor
	if a == nil {
		c := *p.cfg
		own, a = &c, new(Actor)
	}
	p.actor = nil
	cfg := own
	*a = Actor{
		cfg:    own,
		log:    cfg.Log,
		set:    cfg.Settings,
		credit: cfg.Credit,
		budget: cfg.ConnectBudget,
		// peers' maps and senders are made with the first peer
		// (peerSet.add, noteSender): an idle torrent holds no map.
		plist:    peerlist.New(peerListConfig(cfg.Settings)),
		added:    time.Now(),
		life:     newLifecycle(cfg.Meta == nil, len(cfg.ResumeData) > 0),
		queuePos: -1,
	}
	if p.queued {
		a.queuePos = int(p.queuePos)
		p.queued = false // not for a restarted incarnation: it may be stale
	}
	if a.credit == nil {
		a.credit = actors.NewCredit(int64(cfg.Settings.Int(settings.MaxQueuedDiskBytes)))
	}
	if a.budget == nil {
		a.budget = actors.NewBudget(cfg.Settings.Int(settings.ConnectionSpeed))
	}
	a.plist.SetBoost(cfg.Settings.Int(settings.TorrentConnectBoost)) // again at each pause (handle_pause.go)
	if cfg.Meta == nil {
		// Until the metadata comes, an empty info stands in (no
		// files, no pieces) so that status and stats need no cases.
		a.ih = cfg.InfoHash
		a.info = &metainfo.Info{Name: cfg.Name}
		a.have = bitfield.New(0)
		a.meta = metaState{enabled: true, fetcher: metadata.NewFetcher(cfg.InfoHash, metadata.FetcherConfig{})}
		return a
	}
	a.ih, a.info = cfg.Meta.InfoHash, &cfg.Meta.Info
	return a
}
