// Package diskactor is the session's disk actor: it owns every torrent's
// storage, a write-back cache of received blocks, and a pool of worker
// actors that hash, write, read and check. A piece gets its bit only after
// its hash passed and its write succeeded (DESIGN §4).
package diskactor

import (
	"runtime"
	"sync/atomic"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
)

// Config sets up the disk actor.
type Config struct {
	// Workers is the size of the worker pool (hashing_threads); 0 means
	// the number of cores, at least 2.
	Workers int
	// CacheSize bounds the bytes of blocks kept in memory across all
	// torrents (cache_size): received blocks first (past it, partial
	// pieces are written out), and the read cache in what they leave.
	CacheSize int64
	// MaxOpenFiles bounds open file handles per torrent.
	MaxOpenFiles int
	// ActiveChecking bounds the torrents whose files are checked at once
	// (active_checking); further checks wait in line. 0 means 1; a
	// negative value means no bound.
	ActiveChecking int
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
	cfg      Config
	log      *zap.Logger
	torrents map[messages.InfoHash]*torrentStore
	workers  []*actor.PID
	idle     []*actor.PID
	queue    []job
	running  map[*actor.PID]job
	cached   int64
	seq      uint64 // orders cached pieces by first arrival
	counters messages.DiskStatusReply
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
	if cfg.Workers <= 0 {
		cfg.Workers = max(2, runtime.NumCPU())
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = 64 << 20
	}
	if cfg.MaxOpenFiles <= 0 {
		cfg.MaxOpenFiles = 32
	}
	if cfg.ActiveChecking == 0 {
		cfg.ActiveChecking = 1
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
			rc:       newARC(ghostPieces(cfg.CacheSize)),
			pending:  map[pieceKey][]*pendingRead{},
		}
	}, actor.WithSupervisor(cfg.Supervision.Strategy(supervisor.KindDiskWorker)))
}

// Receive dispatches on the message type.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.handleStarted(ctx)
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
