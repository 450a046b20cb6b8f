package actorrent

import (
	"context"
	"time"

	"github.com/actorrent/actorrent/messages"
)

// DiskCacheNoPieces is GetCacheInfo's flag to leave CacheStatus.Pieces
// empty (libtorrent's session::disk_cache_no_pieces), which makes the call
// cheaper.
const DiskCacheNoPieces = 1

// DiskJobAction is a kind of disk job, in libtorrent's job_action_t order;
// it indexes CacheStatus.NumFenceJobs.
type DiskJobAction = messages.DiskJobAction

// The disk job kinds. The engine raises fences for MoveStorage, RenameFile
// and ReleaseFiles.
const (
	DiskJobRead            = messages.DiskJobRead
	DiskJobWrite           = messages.DiskJobWrite
	DiskJobHash            = messages.DiskJobHash
	DiskJobMoveStorage     = messages.DiskJobMoveStorage
	DiskJobReleaseFiles    = messages.DiskJobReleaseFiles
	DiskJobDeleteFiles     = messages.DiskJobDeleteFiles
	DiskJobCheckFastresume = messages.DiskJobCheckFastresume
	DiskJobRenameFile      = messages.DiskJobRenameFile
	DiskJobStopTorrent     = messages.DiskJobStopTorrent
	DiskJobFlushPiece      = messages.DiskJobFlushPiece
	DiskJobFlushHashed     = messages.DiskJobFlushHashed
	DiskJobFlushStorage    = messages.DiskJobFlushStorage
	DiskJobTrimCache       = messages.DiskJobTrimCache
	DiskJobFilePriority    = messages.DiskJobFilePriority
	DiskJobClearPiece      = messages.DiskJobClearPiece
	NumDiskJobIDs          = messages.NumDiskJobActions
)

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
// cache_status), every field from the disk actor's own counters.
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
	TotalReadBack int
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
	NumFenceJobs [NumDiskJobIDs]int

	// libtorrent 1.0's totals: blocks written, write operations, blocks
	// read from disk (read-ahead included), requests served from the
	// read cache, read jobs.
	BlocksWritten int64
	Writes        int64
	BlocksRead    int64
	BlocksReadHit int64
	Reads         int64
}

// GetCacheInfo returns the disk cache's status (libtorrent's
// get_cache_info). The counters are session-wide; Pieces lists h's
// torrent's pieces, or every torrent's when h is the zero TorrentHandle,
// and none with flags DiskCacheNoPieces. A handle of a torrent no longer
// in the session gives ErrInvalidHandle.
func (s *Session) GetCacheInfo(ctx context.Context, h TorrentHandle, flags int) (CacheStatus, error) {
	msg := &messages.DiskCacheInfo{NoPieces: flags&DiskCacheNoPieces != 0}
	if h != (TorrentHandle{}) {
		if h.s != s {
			return CacheStatus{}, ErrInvalidHandle
		}
		msg.InfoHash, msg.Torrent = h.ih, true
	}
	r, err := s.request(ctx, msg)
	if err != nil {
		return CacheStatus{}, err
	}
	m, ok := r.(*messages.DiskCacheInfoReply)
	if !ok {
		return CacheStatus{}, ErrInvalidHandle // TorrentNotFound
	}
	return newCacheStatus(m), nil
}

func newCacheStatus(m *messages.DiskCacheInfoReply) CacheStatus {
	st := CacheStatus{
		WriteCacheSize: m.WriteCacheSize, ReadCacheSize: m.ReadCacheSize,
		PinnedBlocks: m.PinnedBlocks, TotalUsedBuffers: m.TotalUsedBuffers,
		AverageReadTime: m.AverageReadTime, AverageWriteTime: m.AverageWriteTime,
		AverageHashTime: m.AverageHashTime, AverageJobTime: m.AverageJobTime,
		CumulativeJobTime: m.CumulativeJobTime, CumulativeReadTime: m.CumulativeReadTime,
		CumulativeWriteTime: m.CumulativeWriteTime, CumulativeHashTime: m.CumulativeHashTime,
		TotalReadBack: int(m.TotalReadBack), ReadQueueSize: m.ReadQueueSize,
		BlockedJobs: m.BlockedJobs, QueuedJobs: m.QueuedJobs, PeakQueued: m.PeakQueued,
		PendingJobs: m.PendingJobs, NumJobs: m.NumJobs, NumReadJobs: m.NumReadJobs,
		NumWriteJobs: m.NumWriteJobs,
		ArcMRUSize:   m.ArcMRUSize, ArcMRUGhostSize: m.ArcMRUGhostSize,
		ArcMFUSize: m.ArcMFUSize, ArcMFUGhostSize: m.ArcMFUGhostSize,
		ArcWriteSize: m.ArcWriteSize, ArcVolatileSize: m.ArcVolatileSize,
		NumWritingThreads: m.NumWritingThreads, NumFenceJobs: m.NumFenceJobs,
		BlocksWritten: m.BlocksWritten, Writes: m.Writes, BlocksRead: m.BlocksRead,
		BlocksReadHit: m.BlocksReadHit, Reads: m.Reads,
	}
	for _, p := range m.Pieces {
		kind := ReadCache
		if p.Write {
			kind = WriteCache
		}
		st.Pieces = append(st.Pieces, CachedPieceInfo{InfoHash: p.InfoHash, Piece: p.Piece, Blocks: p.Blocks,
			LastUse: p.LastUse, NextToHash: p.NextToHash, Kind: kind})
	}
	return st
}
