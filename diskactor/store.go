package diskactor

import (
	"hash"
	"time"

	"github.com/actorrent/actorrent/internal/bufpool"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// torrentStore is the disk actor's state for one torrent.
type torrentStore struct {
	ih     messages.InfoHash
	info   *metainfo.Info
	store  storage.Interface
	owner  *actor.PID
	credit messages.CreditReleaser
	// creditLimit and cached: when cached reaches 3/4 of the torrent's
	// credit, partial pieces are written out (see flushPartials).
	creditLimit int64
	cached      int64
	// pieces being assembled in the write-back cache
	partial map[int]*cachedPiece
	// done marks pieces hashed and written: late blocks for them are dropped.
	done []bool
	// inflight counts this torrent's queued and running jobs, for the
	// removal fence.
	inflight int
	// removing is set once DiskRemoveTorrent arrived: the close job runs
	// when inflight reaches zero.
	removing *removal
	// fence is the fence job in force and the jobs held behind it.
	fence fenceState
	// check in progress (handle_check.go): checkGen tells the current
	// check's jobs from those of a check it superseded; checkHave is its
	// answer so far; checkDone of checkTotal pieces to verify are hashed,
	// checkPending are not yet.
	checkGen     int
	checkReqGen  int // the torrent's generation of the check, echoed
	checkHave    []bool
	checkPending int
	checkDone    int
	checkTotal   int
	checkErr     error
	emptyCreated bool
	// checkPhase says whether the check waits for an active_checking slot
	// or holds one; checkChunks is its plan, checkNext the next chunk to
	// queue and checkQueued how many of its chunk jobs are queued or
	// running.
	checkPhase  checkPhase
	checkChunks []checkChunk
	checkNext   int
	checkQueued int
}

// checkPhase is where a torrent's check stands with active_checking.
type checkPhase int

const (
	checkIdle    checkPhase = iota // no check reading
	checkWaiting                   // queued for a slot
	checkRunning                   // holds a slot
)

type removal struct {
	deleteFiles bool
	replyTo     *actor.PID
}

// cachedPiece holds the received blocks of one piece.
type cachedPiece struct {
	blocks   [][]byte // nil until received, or after being flushed
	received []bool
	flushed  []bool
	count    int // blocks received
	bytes    int64
	// flushing is true while a flushJob for this piece runs; a complete
	// piece waits for it before hashing (it may need to read those blocks).
	flushing bool
	// hashing is true once the hashWriteJob is queued.
	hashing bool
	seq     uint64 // arrival order of the first block, for flush order
	// h is the piece's running SHA-1 over blocks [0, hashed), advanced by
	// a worker as blocks arrive in order (hash.go); nil until the first
	// hash job. hashBusy says a job (a hashJob or a flush that hashes)
	// holds h; a hashJob also borrows blocks [hashLo, hashHi), which stay
	// in blocks and must not be freed until it returns.
	h              hash.Hash
	hashed         int
	hashBusy       bool
	hashLo, hashHi int
	// dropped is set when the piece was dropped while a hashJob held
	// some of its blocks: that job's end frees them.
	dropped bool
	lastUse time.Time // of the last block received
}

// newTorrentStore opens a torrent's storage under the session's file
// budget (file_pool_size counts the open files of every torrent).
func newTorrentStore(m *messages.DiskAddTorrent, files *storage.FileBudget) (*torrentStore, error) {
	specs := make([]storage.FileSpec, len(m.Info.Files))
	for i, f := range m.Info.Files {
		specs[i] = storage.FileSpec{Path: f.Path, Length: f.Length, Pad: f.Pad, Executable: f.Executable, Symlink: f.SymlinkPath}
		if i < len(m.FilePaths) && m.FilePaths[i] != "" {
			specs[i].Path = m.FilePaths[i]
		}
	}
	newStorage := m.NewStorage
	if newStorage == nil {
		newStorage = storage.NewFiles
	}
	st, err := newStorage(m.SavePath, specs, storage.Options{
		// The budget bounds the files; the pool's own bound only stops
		// a storage from holding more than the session may.
		MaxOpenFiles: 1 << 20, FileBudget: files, Sparse: true, Allocate: m.StorageMode == messages.StorageModeAllocate,
		// libtorrent's name: a hidden file named after the info-hash.
		PartFile: "." + m.InfoHash.String() + ".parts", PieceLength: m.Info.PieceLength,
		FilePriorities: m.FilePriorities,
	})
	if err == nil && st == nil {
		err = errNoStorage
	}
	if err != nil {
		return nil, err
	}
	return &torrentStore{
		ih:          m.InfoHash,
		info:        m.Info,
		store:       st,
		owner:       m.Owner,
		credit:      m.Credit,
		creditLimit: m.CreditLimit,
		partial:     map[int]*cachedPiece{},
		done:        make([]bool, m.Info.NumPieces()),
	}, nil
}

func (t *torrentStore) numBlocks(piece int) int {
	return int((t.info.PieceSize(piece) + bufpool.BlockSize - 1) / bufpool.BlockSize)
}

func (t *torrentStore) allDone() bool {
	for _, d := range t.done {
		if !d {
			return false
		}
	}
	return true
}

// releaseCredit gives n bytes of write credit back to the torrent.
func (t *torrentStore) releaseCredit(n int64) {
	if t.credit != nil && n > 0 {
		t.credit.Release(n)
	}
}
