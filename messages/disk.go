package messages

import (
	"time"

	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/asynkron/protoactor-go/actor"
)

// DiskAddTorrent registers a torrent's storage with the disk actor. Owner
// receives PieceHashed, DiskCheckProgress and DiskCheckReply.
type DiskAddTorrent struct {
	InfoHash InfoHash
	Info     *metainfo.Info
	SavePath string
	Owner    *actor.PID
	Credit   CreditReleaser
	// CreditLimit is the torrent's write credit: when this much of it is
	// cached, the disk writes out partial pieces so credit flows again.
	CreditLimit int64
	// StorageMode says how new files are created.
	StorageMode StorageMode
	// FilePaths, when not nil, renames files (one entry per file; ""
	// keeps the torrent's path): resume data's mapped_files.
	FilePaths []string
	// NewStorage makes the torrent's storage; nil means files under
	// SavePath (storage.NewFiles).
	NewStorage storage.Constructor
	// FilePriorities are the files' priorities at the start (nil: all 1);
	// files of priority 0 are not created.
	FilePriorities []int
}

// DiskRemoveTorrent closes (and with DeleteFiles removes) a torrent's files
// once every job already queued for it has finished. The sender gets a
// DiskRemoveTorrentReply.
type DiskRemoveTorrent struct {
	InfoHash    InfoHash
	DeleteFiles bool
}

// DiskRemoveTorrentReply answers DiskRemoveTorrent.
type DiskRemoveTorrentReply struct {
	InfoHash InfoHash
	Err      error
}

// DiskWrite hands one received block to the disk. Data is a pooled buffer
// that the disk owns from now on; its length is the block length. The
// torrent's credit for len(Data) is released once the bytes are written.
type DiskWrite struct {
	InfoHash InfoHash
	Piece    int
	Begin    int
	Data     []byte
	// Cached, when not nil, goes to AlertTo once the block is in the
	// cache (block_finished); the peer sets it only when the alert mask
	// wants it.
	Cached  *PostAlert
	AlertTo *actor.PID
}

// DiskRead asks for a block; the reply (DiskReadReply) goes to ReplyTo.
type DiskRead struct {
	InfoHash InfoHash
	Piece    int
	Begin    int
	Length   int
	ReplyTo  *actor.PID
}

// DiskReadReply carries the block read (a pooled buffer the receiver owns).
type DiskReadReply struct {
	Piece int
	Begin int
	Data  []byte
	Err   error
	Path  string // the file involved when Err is a file error
}

// DiskCheck hashes every piece already on disk (full check). Progress and
// the result go to the torrent's Owner.
type DiskCheck struct {
	InfoHash InfoHash
	// SeedMode marks every piece as had without reading (libtorrent's
	// seed_mode): the disk only records it.
	SeedMode bool
	// Have and Verify, when not nil (one entry per piece), make this a
	// check of resume data instead of a full check: pieces in Have are
	// recorded as had without reading (resume data trusted for them);
	// pieces in Verify are hashed and had only if they pass; all others
	// are missing and not read. A piece in both is verified.
	Have, Verify []bool
	// Gen is echoed in the check's progress and reply, so the torrent can
	// tell a superseded check's answers from the current one's.
	Gen int
}

// DiskCheckProgress reports checking progress: Checked of the Total pieces
// to verify have been hashed. Queued means the check waits for a slot
// (active_checking) and has not started reading; the first report without
// it says the check started.
type DiskCheckProgress struct {
	Gen            int // the DiskCheck\'s
	Checked, Total int
	Queued         bool
}

// DiskCheckReply ends a DiskCheck with the pieces that passed.
type DiskCheckReply struct {
	Gen  int // the DiskCheck\'s
	Have []bool
	Err  error
}

// PieceHashed tells the torrent a completed piece was hashed and, when OK,
// written. Err is a disk error (write failed) rather than a bad hash.
type PieceHashed struct {
	Piece int
	OK    bool
	Err   error
	Path  string
	// Op is the file operation that failed ("write", "read", ...).
	Op string
}

// DiskClearPiece drops whatever the cache holds of a piece (the torrent
// put it back in the picker).
type DiskClearPiece struct {
	InfoHash InfoHash
	Piece    int
}

// DiskStatus asks for disk counters; the reply is DiskStatusReply.
type DiskStatus struct{}

// DiskStatusReply reports the disk's counters.
type DiskStatusReply struct {
	CachedBytes   int64
	BlocksWritten int64
	BlocksRead    int64
	ReadBack      int64
	QueuedJobs    int
	// Workers is the worker pool's size (hashing_threads); OpenFiles the
	// files open for every torrent together (within file_pool_size).
	Workers   int
	OpenFiles int
}

// DiskFileStats asks what is on disk for each file of a torrent (for resume
// data: writing it and checking it); reply DiskFileStatsReply.
type DiskFileStats struct {
	InfoHash InfoHash
}

// DiskFileStatsReply answers DiskFileStats, one entry per file of the
// torrent: the size on disk (-1 when missing) and modification time. Pad
// files report their length and a zero time.
type DiskFileStatsReply struct {
	Sizes  []int64
	MTimes []time.Time
	Err    error
}

// DiskMoveStorage moves a torrent's files under SavePath behind a fence;
// reply DiskMoveStorageReply. Flags are libtorrent's move_flags_t.
type DiskMoveStorage struct {
	InfoHash InfoHash
	SavePath string
	Flags    int
}

// DiskMoveStorageReply answers DiskMoveStorage with the save path in
// force afterwards (the old one when the move failed).
type DiskMoveStorageReply struct {
	SavePath string
	Err      error
}

// DiskRenameFile gives file Index a new path (relative to the save path,
// or absolute) behind a fence; reply DiskRenameFileReply.
type DiskRenameFile struct {
	InfoHash InfoHash
	Index    int
	Name     string
}

// DiskRenameFileReply answers DiskRenameFile.
type DiskRenameFileReply struct {
	Index int
	Name  string
	Err   error
}

// DiskReleaseFiles closes a torrent's open files behind a fence (they
// reopen on the next access); reply DiskReleaseFilesReply.
type DiskReleaseFiles struct {
	InfoHash InfoHash
	// FlushCache writes the torrent's cached blocks out first
	// (TorrentHandle.FlushCache, libtorrent's release_files).
	FlushCache bool
}

// DiskReleaseFilesReply answers DiskReleaseFiles.
type DiskReleaseFilesReply struct {
	Err error
}

// DiskClearCache drops a torrent's cached blocks of pieces not being
// written (upload mode after a disk error: they would only fail too);
// reply DiskClearCacheReply with the pieces dropped.
type DiskClearCache struct {
	InfoHash InfoHash
}

// DiskClearCacheReply answers DiskClearCache.
type DiskClearCacheReply struct {
	Pieces []int
}

// DiskSetFilePriorities tells a torrent's storage its files' priorities,
// behind a fence (raising a file from 0 moves its bytes out of the part
// file); reply DiskSetFilePrioritiesReply.
type DiskSetFilePriorities struct {
	InfoHash   InfoHash
	Priorities []int
}

// DiskSetFilePrioritiesReply answers DiskSetFilePriorities.
type DiskSetFilePrioritiesReply struct {
	Err error
}

// DiskFlush makes a torrent's written data durable (fsync) behind a fence,
// so every write queued before it is included; reply DiskFlushReply.
type DiskFlush struct {
	InfoHash InfoHash
}

// DiskFlushReply answers DiskFlush.
type DiskFlushReply struct {
	Err error
}

// DiskCacheInfo asks for the disk cache's counters and pieces (the
// session's get_cache_info); reply DiskCacheInfoReply. With Torrent set
// only InfoHash's pieces are listed; with NoPieces none are (the counters
// are always session-wide).
type DiskCacheInfo struct {
	InfoHash InfoHash
	Torrent  bool
	NoPieces bool
}

// DiskJobAction names a kind of disk job, in the order of libtorrent's
// job_action_t; it indexes CacheStatus.NumFenceJobs.
type DiskJobAction int

// The disk job kinds (libtorrent's job_action_t).
const (
	DiskJobRead DiskJobAction = iota
	DiskJobWrite
	DiskJobHash
	DiskJobMoveStorage
	DiskJobReleaseFiles
	DiskJobDeleteFiles
	DiskJobCheckFastresume
	DiskJobRenameFile
	DiskJobStopTorrent
	DiskJobFlushPiece
	DiskJobFlushHashed
	DiskJobFlushStorage
	DiskJobTrimCache
	DiskJobFilePriority
	DiskJobClearPiece
	NumDiskJobActions
)
