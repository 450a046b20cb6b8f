package messages

import (
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/metainfo"
)

// TorrentStatus is a snapshot of a torrent (libtorrent's torrent_status,
// every field of 1.0's but the handle), made by the torrent's actor; the
// facade's TorrentStatus adds the handle and the public TorrentFile.
//
// The costly fields are filled only when their StatusFlags are given:
// Name (QueryName), SavePath (QuerySavePath), TorrentFile
// (QueryTorrentFile), Pieces and SparseRegions (QueryPieces),
// VerifiedPieces (QueryVerifiedPieces), LastSeenComplete
// (QueryLastSeenComplete), the Distributed fields (QueryDistributedCopies).
type TorrentStatus struct {
	InfoHash InfoHash
	Name     string
	SavePath string
	// TorrentFile is the torrent's metadata; nil while a magnet link
	// fetches it.
	TorrentFile *metainfo.MetaInfo
	State       TorrentState
	Paused      bool
	// AutoManaged: the auto-manage queue starts and pauses it;
	// QueuePosition is its place in the download queue (-1: finished).
	AutoManaged   bool
	QueuePosition int
	// Error is the error message; empty when there is none.
	Error string
	// Progress of the wanted data, 0..1 (of the check while checking);
	// ProgressPPM the same in millionths.
	Progress    float64
	ProgressPPM int
	TotalDone   int64
	// TotalWantedDone and TotalWanted count the wanted bytes.
	TotalWantedDone int64
	TotalWanted     int64
	// Pieces has a bit for every piece we have (verified, on disk).
	Pieces bitfield.Bitfield
	// VerifiedPieces: in seed mode, the pieces hashed since the torrent
	// was added (each is hashed when first requested), resume data's
	// included; empty outside seed mode, as libtorrent's.
	VerifiedPieces bitfield.Bitfield
	// SparseRegions is the number of runs of pieces we lack
	// (libtorrent's sparse_regions; with QueryPieces).
	SparseRegions int
	NumPieces     int
	NumPeers      int
	NumSeeds      int
	// NumConnections counts connections, half-open included.
	NumConnections       int
	DownloadRate         int
	UploadRate           int
	DownloadPayloadRate  int
	UploadPayloadRate    int
	TotalDownload        int64
	TotalUpload          int64
	TotalPayloadDownload int64
	TotalPayloadUpload   int64
	TotalFailedBytes     int64
	TotalRedundantBytes  int64
	IsSeeding            bool
	IsFinished           bool
	// SeedMode: the torrent is in seed mode now (added with FlagSeedMode
	// or resume data saying so, and not every piece verified yet).
	SeedMode bool
	// CheckingProgress is the check's progress, 0..1, while checking.
	CheckingProgress float64
	BlockSize        int
	AddedTime        time.Time
	CompletedTime    time.Time
	// AllTimeUpload and AllTimeDownload count every session's bytes
	// (earlier ones from resume data).
	AllTimeUpload   int64
	AllTimeDownload int64
	// ActiveTime, FinishedTime and SeedingTime are cumulative over
	// sessions, like libtorrent's (not paused; finished; seeding).
	ActiveTime   time.Duration
	FinishedTime time.Duration
	SeedingTime  time.Duration
	// NeedSaveResume: something resume data records changed since the
	// last SaveResumeData.
	NeedSaveResume bool
	// UploadMode: the torrent does not download (SetUploadMode, or a
	// full disk), it only seeds what it has.
	UploadMode bool
	// CurrentTracker is the URL of the tracker we last announced to
	// successfully ("" if none works).
	CurrentTracker string
	// NextAnnounce is the time until the next announce (0 when not
	// announcing); AnnounceInterval the current tracker's interval.
	NextAnnounce     time.Duration
	AnnounceInterval time.Duration
	// NumComplete and NumIncomplete are the seeds and leechers the
	// trackers report (the largest counts any said); -1 when unknown.
	NumComplete, NumIncomplete int
	// ListPeers: the peers in the torrent's peer list (from trackers,
	// resume data, incoming connections and ConnectPeer), connected or
	// not, banned ones left out; ListSeeds: those of them known to be
	// seeds. The list is bounded by max_peerlist_size; a peer that failed
	// max_failcount times is dropped from it.
	ListSeeds, ListPeers int
	// ConnectCandidates: peers in the list the torrent could connect to
	// now (not connected, not banned, past their reconnect wait; seeds
	// left out once the torrent is finished).
	ConnectCandidates int
	// HasMetadata is false while a torrent added from a magnet link (or
	// by info-hash) fetches its metadata from peers.
	HasMetadata bool

	// LastSeenComplete is the last time a complete copy was seen: this
	// torrent seeding, or a connected peer that is a seed (libtorrent's
	// posix time; zero: never).
	LastSeenComplete time.Time
	// StorageMode is how the files are allocated.
	StorageMode StorageMode
	// DistributedFullCopies is how many complete copies the connected
	// peers and we hold (the availability of the rarest piece, ours
	// counted); DistributedFraction the thousandths of a copy more (the
	// share of pieces above that availability); DistributedCopies both
	// as one number. All -1 without QueryDistributedCopies or when no
	// picker runs (libtorrent's values).
	DistributedFullCopies int
	DistributedFraction   int
	DistributedCopies     float32
	// NumUploads is the peers we unchoked; UploadsLimit and
	// ConnectionsLimit the torrent's max_uploads and max_connections
	// (-1: unlimited).
	NumUploads       int
	UploadsLimit     int
	ConnectionsLimit int
	// UpBandwidthQueue and DownBandwidthQueue are 0: libtorrent 1.0 never
	// fills them either (its peers wait on the session's limiter).
	UpBandwidthQueue, DownBandwidthQueue int
	// TimeSinceUpload is the time since payload was last sent to a peer,
	// TimeSinceDownload since a piece last passed its hash check; -1
	// when it never happened in this session (libtorrent 1.1's -1; its
	// seconds as a duration).
	TimeSinceUpload, TimeSinceDownload time.Duration
	// SeedRank is the auto-manage queue's rank of this torrent as a seed
	// (higher seeds first; 0 unless finished), libtorrent's seed_rank.
	SeedRank int
	// LastScrape is the time since a tracker last told the swarm's seed
	// and leecher counts (-1: never).
	LastScrape time.Duration
	// Priority is the torrent's priority: 0, as libtorrent's default
	// (there is no set_priority yet).
	Priority int
	// IPFilterApplies: the session's IP filter applies to this torrent
	// (FlagApplyIPFilter).
	IPFilterApplies bool
	// ShareMode: the torrent is in share mode (share_mode.go).
	ShareMode bool
	// SuperSeeding: the torrent super seeds, BEP 16 (super_seed.go).
	SuperSeeding bool
	// SequentialDownload: pieces are picked in order
	// (FlagSequentialDownload, TorrentHandle.SetSequentialDownload).
	SequentialDownload bool
	// HasIncoming: a peer has connected to us for this torrent.
	HasIncoming bool
	// MovingStorage: a MoveStorage is under way.
	MovingStorage bool
}
