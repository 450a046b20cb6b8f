package messages

import (
	"github.com/actorrent/actorrent/internal/metainfo"
)

// InfoHash identifies a torrent everywhere.
type InfoHash = metainfo.InfoHash

// PeerKey is the small value id a torrent gives each of its connections; the
// piece picker and the choker key their state by it.
type PeerKey uint64

// Block is one request-sized part of a piece (16 KiB except at the end).
type Block struct {
	Piece  int
	Begin  int
	Length int
}

// TorrentState mirrors libtorrent's torrent_status::state_t (same values).
type TorrentState int

// The states, in libtorrent's numbering.
const (
	StateQueuedForChecking TorrentState = iota
	StateCheckingFiles
	StateDownloadingMetadata
	StateDownloading
	StateFinished
	StateSeeding
	StateAllocating
	StateCheckingResumeData
)

// String is libtorrent's name of the state ("downloading", ...).
func (s TorrentState) String() string {
	names := [...]string{"queued_for_checking", "checking_files", "downloading_metadata",
		"downloading", "finished", "seeding", "allocating", "checking_resume_data"}
	if s >= 0 && int(s) < len(names) {
		return names[s]
	}
	return "unknown"
}

// CreditReleaser is the disk's view of a torrent's write-credit gate: the
// disk gives credit back once bytes it was handed are on disk.
type CreditReleaser interface {
	Release(n int64)
}

// StorageMode is libtorrent's storage_mode_t (same values).
type StorageMode uint8

// The storage modes.
const (
	// StorageModeAllocate gives every file its full size on disk when it
	// is created (fallocate).
	StorageModeAllocate StorageMode = 0
	// StorageModeSparse creates files as holes that fill as pieces come.
	StorageModeSparse StorageMode = 1
)
