package actorrent

import (
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/messages"
)

// TorrentState is libtorrent's torrent_status::state_t (same values).
type TorrentState = messages.TorrentState

// The torrent states.
const (
	QueuedForChecking   = messages.StateQueuedForChecking
	CheckingFiles       = messages.StateCheckingFiles
	DownloadingMetadata = messages.StateDownloadingMetadata
	Downloading         = messages.StateDownloading
	Finished            = messages.StateFinished
	Seeding             = messages.StateSeeding
	Allocating          = messages.StateAllocating
	CheckingResumeData  = messages.StateCheckingResumeData
)

// StateName is the libtorrent name of a state ("downloading", ...).
func StateName(s TorrentState) string {
	switch s {
	case QueuedForChecking:
		return "queued_for_checking"
	case CheckingFiles:
		return "checking_files"
	case DownloadingMetadata:
		return "downloading_metadata"
	case Downloading:
		return "downloading"
	case Finished:
		return "finished"
	case Seeding:
		return "seeding"
	case Allocating:
		return "allocating"
	case CheckingResumeData:
		return "checking_resume_data"
	}
	return "unknown"
}

// Bitfield is a set of piece indices (bit 0 is piece 0).
type Bitfield = bitfield.Bitfield

// TorrentStatus is a snapshot of a torrent (libtorrent's torrent_status,
// the fields the engine fills today).
type TorrentStatus struct {
	Handle   TorrentHandle
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
	// Progress of the wanted data, 0..1 (of the check while checking).
	Progress    float64
	ProgressPPM int
	TotalDone   int64
	// TotalWantedDone and TotalWanted count the wanted bytes.
	TotalWantedDone int64
	TotalWanted     int64
	// Pieces has a bit for every piece we have (verified, on disk).
	Pieces    Bitfield
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
	BlockSize            int
	AddedTime            time.Time
	CompletedTime        time.Time
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

func newTorrentStatus(h TorrentHandle, r *messages.TorrentStatusReply) TorrentStatus {
	return TorrentStatus{
		Handle: h, InfoHash: r.InfoHash, Name: r.Name, SavePath: r.SavePath,
		State: r.State, Paused: r.Paused, Error: r.Error,
		AutoManaged: r.AutoManaged, QueuePosition: r.QueuePosition,
		Progress: r.Progress, ProgressPPM: int(r.Progress * 1e6),
		TotalDone: r.TotalDone, TotalWantedDone: r.TotalWantedDone, TotalWanted: r.TotalWanted,
		Pieces: r.Pieces, NumPieces: r.NumPieces, NumPeers: r.NumPeers, NumSeeds: r.NumSeeds,
		NumConnections: r.NumConnections,
		DownloadRate:   r.DownloadRate, UploadRate: r.UploadRate,
		DownloadPayloadRate: r.DownloadPayloadRate, UploadPayloadRate: r.UploadPayloadRate,
		TotalDownload: r.TotalDownload, TotalUpload: r.TotalUpload,
		TotalPayloadDownload: r.TotalPayloadDownload, TotalPayloadUpload: r.TotalPayloadUpload,
		TotalFailedBytes: r.TotalFailedBytes, TotalRedundantBytes: r.TotalRedundantBytes,
		IsSeeding: r.IsSeeding, IsFinished: r.IsFinished, SeedMode: r.SeedMode,
		BlockSize: r.BlockSize, AddedTime: r.AddedTime, CompletedTime: r.CompletedTime,
		AllTimeUpload: r.AllTimeUpload, AllTimeDownload: r.AllTimeDownload,
		ActiveTime: r.ActiveTime, FinishedTime: r.FinishedTime, SeedingTime: r.SeedingTime,
		NeedSaveResume: r.NeedSaveResume, UploadMode: r.UploadMode,
		CurrentTracker: r.CurrentTracker, NextAnnounce: r.NextAnnounce, AnnounceInterval: r.AnnounceInterval,
		NumComplete: r.NumComplete, NumIncomplete: r.NumIncomplete,
		ListSeeds: r.ListSeeds, ListPeers: r.ListPeers, ConnectCandidates: r.ConnectCandidates,
		HasMetadata: r.HasMetadata,
	}
}
