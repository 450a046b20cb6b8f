package messages

import (
	"errors"
	"fmt"
)

// Errors that travel in replies; the facade re-exports them so callers can
// use errors.Is.
var (
	ErrDuplicateTorrent = errors.New("torrent already in session")
	ErrTorrentNotFound  = errors.New("torrent not in session")
	ErrSessionClosing   = errors.New("session is closing")
	ErrInvalidParams    = errors.New("invalid add_torrent_params")

	// ErrResumeDataNotModified answers SaveResumeData with
	// SaveResumeOnlyIfModified when nothing changed since the last save
	// (libtorrent's resume_data_not_modified).
	ErrResumeDataNotModified = errors.New("resume data not modified")
	// ErrTorrentChecking answers SaveResumeData during a full check: what
	// is had is not known yet, and saving a partial answer would make a
	// later start forget pieces that are on disk.
	ErrTorrentChecking = errors.New("torrent is checking its files")
	// ErrTorrentRemoving answers requests to a torrent being removed.
	ErrTorrentRemoving = errors.New("torrent is being removed")
	// ErrNoMetadata answers requests that need the torrent's metadata
	// (SaveResumeData, ForceRecheck, ...) while it is still being fetched.
	ErrNoMetadata = errors.New("torrent has no metadata yet")
	// ErrMetadataMismatch is metadata_failed's error: the info dictionary
	// assembled from peers does not hash to the info-hash.
	ErrMetadataMismatch = errors.New("metadata does not match the info-hash")
	// ErrTooManyCorruptPieces closes the connection of a peer banned for
	// sending data that failed the hash check (libtorrent's
	// too_many_corrupt_pieces).
	ErrTooManyCorruptPieces = errors.New("too many corrupt pieces")
	// ErrInvalidPieceIndex answers a piece request out of the torrent's
	// range (libtorrent's invalid_piece_index).
	ErrInvalidPieceIndex = errors.New("invalid piece index")
	// ErrPieceNotAvailable answers a read of a piece we do not have
	// (ReadPiece, a reader's ReadData).
	ErrPieceNotAvailable = errors.New("piece not available")
	// ErrTorrentStopped answers a WaitPiece the torrent can no longer
	// keep: it was removed or the session closed.
	ErrTorrentStopped = errors.New("torrent stopped")
)

// ErrActorFailed answers a request whose actor failed while handling it
// (the actor was resumed by its supervisor; see Failed).
var ErrActorFailed = errors.New("actor failed")

// FailedReply is the answer to a request whose handler failed.
func FailedReply(reason string) *Failed {
	return &Failed{Err: fmt.Errorf("%w: %s", ErrActorFailed, reason)}
}
