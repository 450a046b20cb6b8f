package diskactor

import (
	"crypto/sha1"
	"hash"

	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// A job is work for one worker. Jobs carry everything they touch (the
// storage is safe for concurrent use), so workers keep no state and a
// restarted worker loses nothing.
type job interface {
	torrent() messages.InfoHash
	// FaultName is the job's operation (job_names.go).
	FaultName() string
}

// hashWriteJob hashes a complete piece and, if the hash matches, writes
// the blocks still in memory. Blocks that are nil were written earlier (a
// partial flush) and are read back to hash.
type hashWriteJob struct {
	ih       messages.InfoHash
	store    storage.Interface
	piece    int
	offset   int64 // of the piece in the torrent
	length   int64 // of the piece
	blocks   [][]byte
	expected [sha1.Size]byte
	// h covers blocks [0, hashed) already (incremental hashing); nil
	// means hash the whole piece.
	h      hash.Hash
	hashed int
}

// flushJob writes some blocks of an incomplete piece to free the cache.
type flushJob struct {
	ih     messages.InfoHash
	store  storage.Interface
	piece  int
	offset int64
	index  []int    // block indices
	blocks [][]byte // same order as index
	// h, when not nil, is the piece's running hash: the worker first
	// advances it over the blocks with indices [hashFrom,
	// hashFrom+hashCount), which are in blocks, so that writing them
	// out costs no read-back later. cp is the disk actor's piece (the
	// worker never touches it).
	h                   hash.Hash
	hashFrom, hashCount int
	cp                  *cachedPiece
}

// readJob reads a block for a peer; the worker replies to the peer itself.
// With count > 0 it is a read-cache miss: the worker reads count whole
// blocks of the piece from block first on (the request lies in block
// first), replies to the peer with a copy of its range, and hands the
// blocks back in jobDone.blocks for the read cache (readcache.go).
type readJob struct {
	ih     messages.InfoHash
	store  storage.Interface
	req    *messages.DiskRead
	offset int64
	// a cacheable read: blocks [first, first+count) of the piece at
	// pieceOffset, pieceSize bytes long
	first, count int
	pieceOffset  int64
	pieceSize    int64
}

// checkJob hashes a run of consecutive pieces already on disk: one chunk
// of a check (see planCheck and worker.check).
type checkJob struct {
	ih       messages.InfoHash
	store    storage.Interface
	gen      int   // the torrent's checkGen when queued
	first    int   // first piece of the run
	offset   int64 // of the first piece in the torrent
	size     int64 // bytes of the run
	pieceLen int64
	expected [][sha1.Size]byte // one per piece of the run
	// ok is filled by the worker: ok[i] is true once piece first+i
	// matched its hash, and only then.
	ok []bool
}

// closeJob releases (and optionally deletes) a torrent's files.
type closeJob struct {
	ih      messages.InfoHash
	store   storage.Interface
	delete  bool
	replyTo *actor.PID
}

// emptyFilesJob creates a finished torrent's zero-length files.
type emptyFilesJob struct {
	ih    messages.InfoHash
	store storage.Interface
	// then is sent to the torrent once the files exist: the check's reply
	// or the last piece's PieceHashed, so "seeding" and "finished" always
	// come with every file of the torrent on disk.
	then any
}

func (j *hashWriteJob) torrent() messages.InfoHash  { return j.ih }
func (j *flushJob) torrent() messages.InfoHash      { return j.ih }
func (j *readJob) torrent() messages.InfoHash       { return j.ih }
func (j *checkJob) torrent() messages.InfoHash      { return j.ih }
func (j *closeJob) torrent() messages.InfoHash      { return j.ih }
func (j *emptyFilesJob) torrent() messages.InfoHash { return j.ih }

// jobDone is a worker's report to the disk actor.
type jobDone struct {
	worker *actor.PID
	job    job
	ok     bool   // hash matched (hash and check jobs)
	err    error  // I/O error
	op     string // file operation that failed
	path   string // file that failed
	// readBack counts blocks read back from disk to finish a hash.
	readBack int
	// timing is what the worker measured; blocks are a cacheable
	// read's blocks (owned by the disk actor from now on).
	timing jobTiming
	blocks [][]byte
}
