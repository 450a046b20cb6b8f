// Package diskactor is the session's disk actor: it owns every torrent's
// storage, a write-back cache of received blocks, and a pool of worker
// actors that hash, write, read and check. A piece gets its bit only after
// its hash passed and its write succeeded (DESIGN §4).
package diskactor

import (
	"sync/atomic"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// Config sets up the disk actor.
type Config struct {
	// Settings are the session's (nil: the defaults): hashing_threads
	// sizes the worker pool (0: one per core, at least 2); cache_size
	// bounds the bytes of blocks kept in memory across all torrents
	// (received blocks first — past it, partial pieces are written out —
	// and the read cache in what they leave); file_pool_size bounds the
	// open files of all torrents together; active_checking bounds the
	// torrents whose files are checked at once (-1: no bound). The
	// session sends new ones (SettingsChanged).
	Settings *settings.Snapshot
	// Log is the zap logger (no-op when nil).
	Log *zap.Logger
	// BeforeJob, when set, runs in a worker before each job. Tests use it
	// to hold jobs back (a panic fails the job, never the session).
	BeforeJob func(job any)
	// Supervision supervises the workers (supervisor.KindDiskWorker) and
	// injects the plan's faults into their jobs; nil: default strategy.
	Supervision *supervisor.Supervision
}

// Actor is the disk actor.
type Actor struct {
	cfg   Config
	set   *settings.Snapshot
	files *storage.FileBudget // file_pool_size, for every torrent
	// workerProps make a worker (the pool grows with hashing_threads).
	workerProps *actor.Props
	log         *zap.Logger
	torrents    map[messages.InfoHash]*torrentStore
	workers     []*actor.PID
	idle        []*actor.PID
	queue       []job
	running     map[*actor.PID]job
	cached      int64
	seq         uint64 // orders cached pieces by first arrival
	counters    messages.DiskStatusReply
	// checks holding an active_checking slot, and those waiting for one
	// in arrival order (check_slots.go)
	checksRunning int
	checkLine     []messages.InfoHash
	// the read cache, the read-cache misses being read (readcache.go),
	// the cache_status counters (counters.go) and the workers writing
	// right now
	rc      *arc
	pending map[pieceKey][]*pendingRead
	stats   cacheCounters
	writing atomic.Int32
}

// New returns the props of a disk actor. Its supervisor strategy
// (supervisor.KindDiskWorker) replaces a worker that panicked and fails
// that worker's job with an error.
func New(cfg Config) *actor.Props {
	if cfg.Settings == nil {
		cfg.Settings = settings.Default()
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	return actor.PropsFromProducer(func() actor.Actor {
		return &Actor{
			cfg:      cfg,
			log:      cfg.Log,
			torrents: map[messages.InfoHash]*torrentStore{},
			running:  map[*actor.PID]job{},
			set:      cfg.Settings,
			files:    storage.NewFileBudget(cfg.Settings.Int(settings.FilePoolSize)),
			rc:       newARC(ghostPieces(cfg.Settings.CacheBytes())),
			pending:  map[pieceKey][]*pendingRead{},
		}
	}, actor.WithSupervisor(cfg.Supervision.Strategy(supervisor.KindDiskWorker)))
}

// Receive dispatches on the message type.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.handleStarted(ctx)
	case *messages.SettingsChanged:
		a.handleSettingsChanged(ctx, m)
	case *messages.DiskAddTorrent:
		a.handleAddTorrent(ctx, m)
	case *messages.DiskRemoveTorrent:
		a.handleRemoveTorrent(ctx, m, ctx.Sender())
	case *messages.DiskWrite:
		a.handleWrite(ctx, m)
	case *messages.DiskRead:
		a.handleRead(ctx, m)
	case *messages.DiskCheck:
		a.handleCheckRequest(ctx, m)
	case *messages.DiskVerifyPiece:
		a.handleVerifyPiece(ctx, m) // verify_piece.go
	case *messages.DiskClearPiece:
		a.handleClearPiece(m)
	case *messages.DiskStatus:
		a.handleStatus(ctx)
	case *messages.DiskCacheInfo:
		a.handleCacheInfo(ctx, m)
	case *messages.DiskFileStats:
		a.handleFileStats(ctx, m)
	case *messages.DiskMoveStorage:
		a.handleMoveStorage(ctx, m)
	case *messages.DiskRenameFile:
		a.handleRenameFile(ctx, m)
	case *messages.DiskReleaseFiles:
		a.handleReleaseFiles(ctx, m)
	case *messages.DiskSetFilePriorities:
		a.handleSetFilePriorities(ctx, m)
	case *messages.DiskFlush:
		a.handleFlush(ctx, m)
	case *messages.DiskClearCache:
		a.handleClearCache(ctx, m)
	case *jobDone:
		a.handleJobDone(ctx, m)
	case *messages.ChildFailed:
		a.handleWorkerFailed(ctx, m)
	case *messages.MessageFailed:
		a.handleMessageFailed(ctx, m)
	case *actor.Stopping:
		a.handleStopping()
	}
}
