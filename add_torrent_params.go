package actorrent

import "github.com/actorrent/actorrent/messages"

// AddTorrentFlags are libtorrent's add_torrent_params flags (same bits).
type AddTorrentFlags = messages.AddTorrentFlags

// The flags of AddTorrentParams.Flags.
const (
	// FlagSeedMode trusts the files: every piece is taken as had without
	// a check.
	FlagSeedMode = messages.FlagSeedMode
	// FlagPaused adds the torrent paused.
	FlagPaused = messages.FlagPaused
	// FlagDuplicateIsError makes adding a torrent already in the session
	// fail with ErrDuplicateTorrent (otherwise its handle is returned).
	FlagDuplicateIsError = messages.FlagDuplicateIsError
	// FlagAutoManaged is accepted for compatibility; the queue comes later.
	FlagAutoManaged = messages.FlagAutoManaged
)

// AddTorrentParams says what to add and how (libtorrent's
// add_torrent_params).
type AddTorrentParams struct {
	// TI is the torrent to add.
	TI *TorrentInfo
	// SavePath is the directory the torrent's files (or top directory)
	// go in.
	SavePath string
	Flags    AddTorrentFlags
	// UserData is handed back in AddTorrentAlert.Params.UserData.
	UserData any
}
