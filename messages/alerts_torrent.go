package messages

// Alerts about a torrent's life cycle.

// AddTorrentAlert answers every add, successful or not.
type AddTorrentAlert struct {
	AlertHeader
	InfoHash InfoHash
	Err      error
	Params   any
}

// TorrentAddedAlert: a torrent was added.
type TorrentAddedAlert struct {
	AlertHeader
	InfoHash InfoHash
}

// TorrentRemovedAlert: a torrent was removed.
type TorrentRemovedAlert struct {
	AlertHeader
	InfoHash InfoHash
}

// TorrentDeletedAlert: a removed torrent's files were deleted.
type TorrentDeletedAlert struct {
	AlertHeader
	InfoHash InfoHash
}

// TorrentDeleteFailedAlert: deleting a removed torrent's files failed.
type TorrentDeleteFailedAlert struct {
	AlertHeader
	InfoHash InfoHash
	Err      error
}

// StateChangedAlert: the torrent's state changed.
type StateChangedAlert struct {
	AlertHeader
	InfoHash  InfoHash
	State     TorrentState
	PrevState TorrentState
}

// TorrentCheckedAlert: checking the files finished.
type TorrentCheckedAlert struct {
	AlertHeader
	InfoHash InfoHash
}

// TorrentFinishedAlert: every wanted piece is had.
type TorrentFinishedAlert struct {
	AlertHeader
	InfoHash InfoHash
}

// TorrentPausedAlert: the torrent was paused.
type TorrentPausedAlert struct {
	AlertHeader
	InfoHash InfoHash
}

// TorrentResumedAlert: the torrent was resumed.
type TorrentResumedAlert struct {
	AlertHeader
	InfoHash InfoHash
}

// TorrentErrorAlert: the torrent went to the error state.
type TorrentErrorAlert struct {
	AlertHeader
	InfoHash InfoHash
	Err      error
}

// FileErrorAlert: a file operation failed.
type FileErrorAlert struct {
	AlertHeader
	InfoHash InfoHash
	File     string
	Op       string
	Err      error
}

// PieceFinishedAlert: a piece passed its hash check and is on disk.
type PieceFinishedAlert struct {
	AlertHeader
	InfoHash InfoHash
	Piece    int
}

// HashFailedAlert: a downloaded piece failed its hash check.
type HashFailedAlert struct {
	AlertHeader
	InfoHash InfoHash
	Piece    int
}

func (AddTorrentAlert) AlertCategory() AlertCategory          { return CategoryStatus }
func (TorrentAddedAlert) AlertCategory() AlertCategory        { return CategoryStatus }
func (TorrentRemovedAlert) AlertCategory() AlertCategory      { return CategoryStatus }
func (TorrentDeletedAlert) AlertCategory() AlertCategory      { return CategoryStorage }
func (TorrentDeleteFailedAlert) AlertCategory() AlertCategory { return CategoryStorage | CategoryError }
func (StateChangedAlert) AlertCategory() AlertCategory        { return CategoryStatus }
func (TorrentCheckedAlert) AlertCategory() AlertCategory      { return CategoryStatus }
func (TorrentFinishedAlert) AlertCategory() AlertCategory     { return CategoryStatus }
func (TorrentPausedAlert) AlertCategory() AlertCategory       { return CategoryStatus }
func (TorrentResumedAlert) AlertCategory() AlertCategory      { return CategoryStatus }
func (TorrentErrorAlert) AlertCategory() AlertCategory        { return CategoryError | CategoryStatus }
func (FileErrorAlert) AlertCategory() AlertCategory {
	return CategoryStatus | CategoryError | CategoryStorage
}
func (PieceFinishedAlert) AlertCategory() AlertCategory { return CategoryProgress }
func (HashFailedAlert) AlertCategory() AlertCategory    { return CategoryStatus }

func (AddTorrentAlert) AlertWhat() string          { return "add_torrent" }
func (TorrentAddedAlert) AlertWhat() string        { return "torrent_added" }
func (TorrentRemovedAlert) AlertWhat() string      { return "torrent_removed" }
func (TorrentDeletedAlert) AlertWhat() string      { return "torrent_deleted" }
func (TorrentDeleteFailedAlert) AlertWhat() string { return "torrent_delete_failed" }
func (StateChangedAlert) AlertWhat() string        { return "state_changed" }
func (TorrentCheckedAlert) AlertWhat() string      { return "torrent_checked" }
func (TorrentFinishedAlert) AlertWhat() string     { return "torrent_finished" }
func (TorrentPausedAlert) AlertWhat() string       { return "torrent_paused" }
func (TorrentResumedAlert) AlertWhat() string      { return "torrent_resumed" }
func (TorrentErrorAlert) AlertWhat() string        { return "torrent_error" }
func (FileErrorAlert) AlertWhat() string           { return "file_error" }
func (PieceFinishedAlert) AlertWhat() string       { return "piece_finished" }
func (HashFailedAlert) AlertWhat() string          { return "hash_failed" }

// libtorrent never drops these on overflow.
func (AddTorrentAlert) Discardable() bool          { return false }
func (TorrentAddedAlert) Discardable() bool        { return true }
func (TorrentRemovedAlert) Discardable() bool      { return true }
func (TorrentDeletedAlert) Discardable() bool      { return false }
func (TorrentDeleteFailedAlert) Discardable() bool { return false }
func (StateChangedAlert) Discardable() bool        { return true }
func (TorrentCheckedAlert) Discardable() bool      { return true }
func (TorrentFinishedAlert) Discardable() bool     { return true }
func (TorrentPausedAlert) Discardable() bool       { return true }
func (TorrentResumedAlert) Discardable() bool      { return true }
func (TorrentErrorAlert) Discardable() bool        { return true }
func (FileErrorAlert) Discardable() bool           { return true }
func (PieceFinishedAlert) Discardable() bool       { return true }
func (HashFailedAlert) Discardable() bool          { return true }
