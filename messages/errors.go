package messages

import "errors"

// Errors that travel in replies; the facade re-exports them so callers can
// use errors.Is.
var (
	ErrDuplicateTorrent = errors.New("torrent already in session")
	ErrTorrentNotFound  = errors.New("torrent not in session")
	ErrSessionClosing   = errors.New("session is closing")
	ErrInvalidParams    = errors.New("invalid add_torrent_params")
)
