package actorrent

import "github.com/actorrent/actorrent/messages"

// AddTorrentFlags are libtorrent's add_torrent_params flags (same bits).
type AddTorrentFlags = messages.AddTorrentFlags

// The flags of AddTorrentParams.Flags.
const (
	// FlagSeedMode trusts the files: every piece is taken as had without
	// a check, and hashed when first asked for; a piece that fails ends
	// seed mode with a check of the files (README: Seed mode). Resume
	// data wins over it.
	FlagSeedMode = messages.FlagSeedMode
	// FlagPaused adds the torrent paused.
	FlagPaused = messages.FlagPaused
	// FlagDuplicateIsError makes adding a torrent already in the session
	// fail with ErrDuplicateTorrent (otherwise its handle is returned).
	FlagDuplicateIsError = messages.FlagDuplicateIsError
	// FlagAutoManaged hands the torrent to the auto-manage queue, which
	// starts and pauses it (active_downloads, active_seeds, ...).
	FlagAutoManaged = messages.FlagAutoManaged
	// FlagUploadMode adds the torrent in upload mode: it seeds what it
	// has and requests nothing (SetUploadMode changes it later).
	FlagUploadMode = messages.FlagUploadMode
	// FlagSuperSeeding adds the torrent super seeding (BEP 16; see
	// TorrentHandle.SuperSeeding).
	FlagSuperSeeding = messages.FlagSuperSeeding
	// FlagShareMode adds the torrent in share mode: it downloads only
	// the pieces it expects to upload more than once (SetShareMode
	// changes it later; resume data's share_mode wins).
	FlagShareMode = messages.FlagShareMode
	// FlagOverrideResumeData: the flags and limits given here (paused,
	// auto_managed, upload mode, max_connections, ...) win over those
	// recorded in ResumeData.
	FlagOverrideResumeData = messages.FlagOverrideResumeData
	// FlagUseResumeSavePath: the save path recorded in ResumeData wins
	// over SavePath.
	FlagUseResumeSavePath = messages.FlagUseResumeSavePath
	// FlagMergeResumeTrackers: the trackers recorded in ResumeData join
	// the torrent's instead of replacing them.
	FlagMergeResumeTrackers = messages.FlagMergeResumeTracker
)

// AddTorrentParams says what to add and how (libtorrent's
// add_torrent_params).
type AddTorrentParams struct {
	// TI is the torrent to add. Without it, URL (a magnet link) or
	// InfoHash says which torrent, and its metadata comes from peers
	// (the torrent is in DownloadingMetadata until then).
	TI *TorrentInfo
	// URL is a magnet link (magnet:?xt=urn:btih:...). Its dn is the name
	// until the metadata is known, each tr is a tracker in its own tier,
	// in order (as libtorrent's parse_magnet_uri does), after those in
	// Trackers, and its x.pe peers are connected. Other schemes are
	// ErrInvalidParams. ResumeData of the same torrent holding the info
	// dictionary spares the fetch; other resume data is not used.
	URL string
	// InfoHash adds a torrent by info-hash alone (when TI and URL are
	// not given); peers come from Trackers and ConnectPeer.
	InfoHash InfoHash
	// Name is the torrent's name until its metadata is known (URL's dn
	// when empty).
	Name string
	// SavePath is the directory the torrent's files (or top directory)
	// go in.
	SavePath string
	Flags    AddTorrentFlags
	// ResumeData is a fast-resume file in libtorrent's format, as
	// SaveResumeDataAlert carries it (or as libtorrent writes it). The
	// pieces it records are had without reading the files, unless a file
	// changed since (its pieces are then verified); data that is
	// malformed or for another torrent gets a FastresumeRejectedAlert and
	// a full check. When TI is nil, the info dictionary in ResumeData is
	// used.
	ResumeData []byte
	// StorageMode says how files are created. The zero value is
	// StorageModeAllocate — unlike libtorrent, whose default is sparse:
	// writing into allocated files costs several times less CPU on ext4
	// than filling holes, and a full disk shows at the start.
	StorageMode StorageMode
	// FilePriorities are the files' priorities, one entry per file (nil:
	// all 1, or what ResumeData says); files of priority 0 are not
	// created.
	FilePriorities []int
	// StorageConstructor makes the torrent's storage; nil means files
	// under SavePath (DefaultStorage).
	StorageConstructor StorageConstructor
	// Trackers are the torrent's trackers by tier (BEP 12: Trackers[0]
	// is tier 0). Nil uses the torrent file's announce list; a non-nil
	// list replaces it.
	Trackers [][]string
	// TrackerID is sent to trackers as &trackerid= until one gives us its
	// own (libtorrent's trackerid).
	TrackerID string
	// UserData is handed back in AddTorrentAlert.Params.UserData.
	UserData any
	// The torrent's own limits (libtorrent's max_uploads,
	// max_connections, upload_limit and download_limit; rates in bytes
	// a second). Zero or negative means none (libtorrent writes -1).
	MaxUploads, MaxConnections int
	UploadLimit, DownloadLimit int
}

// StorageMode is libtorrent's storage_mode_t.
type StorageMode = messages.StorageMode

// The storage modes.
const (
	// StorageModeAllocate gives each file its full size on disk when it is
	// created (fallocate; a sparse file where the file system cannot).
	StorageModeAllocate = messages.StorageModeAllocate
	// StorageModeSparse creates files as holes that fill as pieces come.
	StorageModeSparse = messages.StorageModeSparse
)

// StorageModeName is libtorrent's name of a storage mode.
func StorageModeName(m StorageMode) string {
	if m == StorageModeSparse {
		return "sparse"
	}
	return "allocate"
}

func (p AddTorrentParams) limits() messages.TorrentLimits {
	return messages.TorrentLimits{
		MaxUploads: p.MaxUploads, MaxConnections: p.MaxConnections,
		UploadLimit: p.UploadLimit, DownloadLimit: p.DownloadLimit,
	}
}
