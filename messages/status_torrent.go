package messages

import (
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
)

// TorrentStatus is a snapshot of a torrent (libtorrent's torrent_status),
// made by the torrent's actor; the facade's TorrentStatus adds the handle.
type TorrentStatus struct {
	InfoHash InfoHash
	Name     string
	SavePath string
	State    TorrentState
	Paused   bool
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
	Pieces    bitfield.Bitfield
	NumPieces int
	NumPeers  int
	NumSeeds  int
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
	SeedMode             bool
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
}
