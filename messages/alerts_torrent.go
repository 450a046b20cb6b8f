package messages

import "fmt"

// Alerts about a torrent's life cycle.

// AddTorrentAlert answers every AddTorrent and AsyncAddTorrent; Error is
// set when the add failed (InfoHash is then what the params named, maybe
// zero). Posted whatever the alert mask, never dropped. Params is the
// AddTorrentParams given (the facade's type).
type AddTorrentAlert struct {
	TorrentAlertHeader
	Error  error
	Params any
}

// TorrentAddedAlert: a torrent was added.
type TorrentAddedAlert struct{ TorrentAlertHeader }

// TorrentRemovedAlert: a torrent was removed; its handle is no longer
// valid, InfoHash says which it was.
type TorrentRemovedAlert struct{ TorrentAlertHeader }

// TorrentDeletedAlert: a removed torrent's files were deleted.
type TorrentDeletedAlert struct{ TorrentAlertHeader }

// TorrentDeleteFailedAlert: deleting a removed torrent's files failed.
type TorrentDeleteFailedAlert struct {
	TorrentAlertHeader
	Error error
}

// StateChangedAlert: the torrent's state changed.
type StateChangedAlert struct {
	TorrentAlertHeader
	State     TorrentState
	PrevState TorrentState
}

// TorrentCheckedAlert: the torrent's files were checked.
type TorrentCheckedAlert struct{ TorrentAlertHeader }

// TorrentFinishedAlert: every wanted piece is downloaded and verified.
type TorrentFinishedAlert struct{ TorrentAlertHeader }

// TorrentPausedAlert: the torrent was paused.
type TorrentPausedAlert struct{ TorrentAlertHeader }

// TorrentResumedAlert: the torrent was resumed.
type TorrentResumedAlert struct{ TorrentAlertHeader }

// TorrentErrorAlert: the torrent went to the error state.
type TorrentErrorAlert struct {
	TorrentAlertHeader
	Error error
}

// FileErrorAlert: a file operation failed; Operation names it ("write",
// "read", "open", ...), File the file.
type FileErrorAlert struct {
	TorrentAlertHeader
	File      string
	Operation string
	Error     error
}

// PieceFinishedAlert: a piece passed its hash check and is on disk.
type PieceFinishedAlert struct {
	TorrentAlertHeader
	PieceIndex int
}

// HashFailedAlert: a downloaded piece failed its hash check; it will be
// downloaded again.
type HashFailedAlert struct {
	TorrentAlertHeader
	PieceIndex int
}

// Type ids follow libtorrent 1.1's numbering.
func (AddTorrentAlert) Type() int          { return 67 }
func (TorrentAddedAlert) Type() int        { return 3 }
func (TorrentRemovedAlert) Type() int      { return 4 }
func (TorrentDeletedAlert) Type() int      { return 35 }
func (TorrentDeleteFailedAlert) Type() int { return 36 }
func (StateChangedAlert) Type() int        { return 10 }
func (TorrentCheckedAlert) Type() int      { return 41 }
func (TorrentFinishedAlert) Type() int     { return 26 }
func (TorrentPausedAlert) Type() int       { return 39 }
func (TorrentResumedAlert) Type() int      { return 40 }
func (TorrentErrorAlert) Type() int        { return 64 }
func (FileErrorAlert) Type() int           { return 43 }
func (PieceFinishedAlert) Type() int       { return 27 }
func (HashFailedAlert) Type() int          { return 18 }

func (AddTorrentAlert) Category() AlertCategory          { return CategoryStatus }
func (TorrentAddedAlert) Category() AlertCategory        { return CategoryStatus }
func (TorrentRemovedAlert) Category() AlertCategory      { return CategoryStatus }
func (TorrentDeletedAlert) Category() AlertCategory      { return CategoryStorage }
func (TorrentDeleteFailedAlert) Category() AlertCategory { return CategoryStorage | CategoryError }
func (StateChangedAlert) Category() AlertCategory        { return CategoryStatus }
func (TorrentCheckedAlert) Category() AlertCategory      { return CategoryStatus }
func (TorrentFinishedAlert) Category() AlertCategory     { return CategoryStatus }
func (TorrentPausedAlert) Category() AlertCategory       { return CategoryStatus }
func (TorrentResumedAlert) Category() AlertCategory      { return CategoryStatus }
func (TorrentErrorAlert) Category() AlertCategory        { return CategoryError | CategoryStatus }
func (FileErrorAlert) Category() AlertCategory {
	return CategoryStatus | CategoryError | CategoryStorage
}
func (PieceFinishedAlert) Category() AlertCategory { return CategoryProgress }
func (HashFailedAlert) Category() AlertCategory    { return CategoryStatus }

func (AddTorrentAlert) What() string          { return "add_torrent" }
func (TorrentAddedAlert) What() string        { return "torrent_added" }
func (TorrentRemovedAlert) What() string      { return "torrent_removed" }
func (TorrentDeletedAlert) What() string      { return "torrent_deleted" }
func (TorrentDeleteFailedAlert) What() string { return "torrent_delete_failed" }
func (StateChangedAlert) What() string        { return "state_changed" }
func (TorrentCheckedAlert) What() string      { return "torrent_checked" }
func (TorrentFinishedAlert) What() string     { return "torrent_finished" }
func (TorrentPausedAlert) What() string       { return "torrent_paused" }
func (TorrentResumedAlert) What() string      { return "torrent_resumed" }
func (TorrentErrorAlert) What() string        { return "torrent_error" }
func (FileErrorAlert) What() string           { return "file_error" }
func (PieceFinishedAlert) What() string       { return "piece_finished" }
func (HashFailedAlert) What() string          { return "hash_failed" }

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

func (a AddTorrentAlert) Message() string {
	if a.Error != nil {
		return fmt.Sprintf("failed to add torrent: %v", a.Error)
	}
	return fmt.Sprintf("%s added", a.torrentName())
}
func (a TorrentAddedAlert) Message() string   { return a.torrentName() + " added" }
func (a TorrentRemovedAlert) Message() string { return a.torrentName() + " removed" }
func (a TorrentDeletedAlert) Message() string { return a.torrentName() + " files deleted" }
func (a TorrentDeleteFailedAlert) Message() string {
	return fmt.Sprintf("%s: deleting files failed: %v", a.torrentName(), a.Error)
}
func (a StateChangedAlert) Message() string {
	return fmt.Sprintf("%s: state changed to: %s", a.torrentName(), a.State)
}
func (a TorrentCheckedAlert) Message() string { return a.torrentName() + " checked" }
func (a TorrentFinishedAlert) Message() string {
	return a.torrentName() + " torrent finished downloading"
}
func (a TorrentPausedAlert) Message() string  { return a.torrentName() + " paused" }
func (a TorrentResumedAlert) Message() string { return a.torrentName() + " resumed" }
func (a TorrentErrorAlert) Message() string {
	return fmt.Sprintf("%s ERROR: %v", a.torrentName(), a.Error)
}
func (a FileErrorAlert) Message() string {
	return fmt.Sprintf("%s file (%s) error: %s: %v", a.torrentName(), a.File, a.Operation, a.Error)
}
func (a PieceFinishedAlert) Message() string {
	return fmt.Sprintf("%s piece: %d finished downloading", a.torrentName(), a.PieceIndex)
}
func (a HashFailedAlert) Message() string {
	return fmt.Sprintf("%s hash for piece %d failed", a.torrentName(), a.PieceIndex)
}
