package messages

import "time"

// CachedPieceKind says which cache a piece is in (libtorrent's
// cached_piece_info::kind_t).
type CachedPieceKind int

// The cache kinds. Nothing reads with libtorrent's volatile hint, so no
// piece is ever VolatileCache (libtorrent's volatile_read_cache; the name
// is the volatile_read_cache setting's); the value is kept for its
// numbering.
const (
	ReadCache CachedPieceKind = iota
	WriteCache
	VolatileCache
)

// CachedPieceInfo is one piece in the disk cache (libtorrent's
// cached_piece_info).
type CachedPieceInfo struct {
	// InfoHash is the piece's torrent (libtorrent gives its storage).
	InfoHash InfoHash
	Piece    int
	// Blocks has one entry per 16 KiB block of the piece: true when the
	// block is in memory.
	Blocks []bool
	// LastUse is when a block of the piece was last received (write
	// cache) or read by a peer (read cache).
	LastUse time.Time
	// NextToHash is the first block the piece's running SHA-1 has not
	// covered: hashing runs in order as blocks arrive. -1 for read-cache
	// pieces, which passed their hash long ago.
	NextToHash int
	Kind       CachedPieceKind
}

// CacheStatus is a snapshot of the disk cache and job queue (libtorrent's
// cache_status), every field from the disk actor's own counters; it
// answers DiskCacheInfo.
//
// Units: sizes are 16 KiB blocks, ARC list sizes are pieces. Times are
// time.Duration, not libtorrent's integers (µs for averages, ms for
// cumulatives): averages cover the last 256 jobs of each kind, cumulatives
// the session's life, both measured by the disk workers around the I/O and
// hashing itself (queueing excluded). QueuedJobs and PendingJobs are the
// values now, where libtorrent averages them over 30 s.
type CacheStatus struct {
	// Pieces in the write cache, then the read cache, by torrent and
	// piece: those of the handle's torrent, or all with the zero handle.
	// Empty with DiskCacheNoPieces.
	Pieces []CachedPieceInfo

	// WriteCacheSize is blocks received and not written yet, ReadCacheSize
	// blocks kept for peers; together they stay within cache_size (the
	// write cache has priority, the read cache gets what it leaves).
	WriteCacheSize int
	ReadCacheSize  int
	// PinnedBlocks are write-cache blocks lent to a job (hashing or being
	// written): they cannot be freed until it returns.
	PinnedBlocks int
	// TotalUsedBuffers is every pooled 16 KiB buffer in use in the
	// process: both caches, blocks on their way from and to peers.
	TotalUsedBuffers int

	AverageReadTime     time.Duration // read jobs (read-cache misses)
	AverageWriteTime    time.Duration // writes of flushed and completed pieces
	AverageHashTime     time.Duration // hashing, read-back and checks included
	AverageJobTime      time.Duration // whole jobs of every kind
	CumulativeJobTime   time.Duration
	CumulativeReadTime  time.Duration
	CumulativeWriteTime time.Duration
	CumulativeHashTime  time.Duration

	// TotalReadBack is blocks read back from disk to finish a piece's
	// hash because they were written out before the hash reached them.
	TotalReadBack int64
	// ReadQueueSize is read jobs waiting for a worker.
	ReadQueueSize int
	// BlockedJobs are held behind a torrent's fence.
	BlockedJobs int
	// QueuedJobs wait for a worker; PeakQueued is the most that ever did.
	QueuedJobs int
	PeakQueued int
	// PendingJobs are running on a worker.
	PendingJobs int
	// NumJobs are all jobs in existence (queued, running, blocked, and
	// fence jobs waiting for their torrent to drain); NumReadJobs and
	// NumWriteJobs those that read for peers and write.
	NumJobs      int
	NumReadJobs  int
	NumWriteJobs int

	ArcMRUSize      int // read-cache pieces read once
	ArcMRUGhostSize int // pieces evicted from MRU (keys only)
	ArcMFUSize      int // read-cache pieces read again
	ArcMFUGhostSize int // pieces evicted from MFU (keys only)
	ArcWriteSize    int // pieces in the write cache
	ArcVolatileSize int // always 0: see VolatileCache

	// NumWritingThreads is workers inside a write call right now.
	NumWritingThreads int
	// NumFenceJobs counts the fences raised now, by job kind.
	NumFenceJobs [NumDiskJobActions]int

	// libtorrent 1.0's totals: blocks written, write operations, blocks
	// read from disk (read-ahead included), requests served from the
	// read cache, read jobs.
	BlocksWritten int64
	Writes        int64
	BlocksRead    int64
	BlocksReadHit int64
	Reads         int64
}
