package messages

import "fmt"

// Alerts about a torrent's files.

// StorageMovedAlert: TorrentHandle.MoveStorage finished; SavePath is the
// torrent's save path now.
type StorageMovedAlert struct {
	TorrentAlertHeader
	SavePath string
}

// StorageMovedFailedAlert: MoveStorage failed and the files are where
// they were; SavePath is where they were to go.
type StorageMovedFailedAlert struct {
	TorrentAlertHeader
	SavePath string
	Error    error
}

// FileRenamedAlert: TorrentHandle.RenameFile finished. Never dropped.
type FileRenamedAlert struct {
	TorrentAlertHeader
	Index int
	Name  string
}

// FileRenameFailedAlert: RenameFile failed. Never dropped.
type FileRenameFailedAlert struct {
	TorrentAlertHeader
	Index int
	Error error
}

// FileCompletedAlert: every piece of file Index was downloaded and
// verified (libtorrent's file_completed_alert).
type FileCompletedAlert struct {
	TorrentAlertHeader
	Index int
}

func (StorageMovedAlert) Type() int       { return 33 }
func (StorageMovedFailedAlert) Type() int { return 34 }
func (FileRenamedAlert) Type() int        { return 7 }
func (FileRenameFailedAlert) Type() int   { return 8 }
func (FileCompletedAlert) Type() int      { return 6 }

func (StorageMovedAlert) Category() AlertCategory       { return CategoryStorage }
func (StorageMovedFailedAlert) Category() AlertCategory { return CategoryStorage }
func (FileRenamedAlert) Category() AlertCategory        { return CategoryStorage }
func (FileRenameFailedAlert) Category() AlertCategory   { return CategoryStorage }
func (FileCompletedAlert) Category() AlertCategory      { return CategoryProgress }

func (StorageMovedAlert) What() string       { return "storage_moved" }
func (StorageMovedFailedAlert) What() string { return "storage_moved_failed" }
func (FileRenamedAlert) What() string        { return "file_renamed" }
func (FileRenameFailedAlert) What() string   { return "file_rename_failed" }
func (FileCompletedAlert) What() string      { return "file_completed" }

// libtorrent never drops the rename alerts: a caller waits for one.
func (StorageMovedAlert) Discardable() bool       { return true }
func (StorageMovedFailedAlert) Discardable() bool { return true }
func (FileRenamedAlert) Discardable() bool        { return false }
func (FileRenameFailedAlert) Discardable() bool   { return false }
func (FileCompletedAlert) Discardable() bool      { return true }

func (a StorageMovedAlert) Message() string {
	return fmt.Sprintf("%s moved storage to: %s", a.torrentName(), a.SavePath)
}
func (a StorageMovedFailedAlert) Message() string {
	return fmt.Sprintf("%s storage move to %s failed: %v", a.torrentName(), a.SavePath, a.Error)
}
func (a FileRenamedAlert) Message() string {
	return fmt.Sprintf("%s: file %d renamed to %s", a.torrentName(), a.Index, a.Name)
}
func (a FileRenameFailedAlert) Message() string {
	return fmt.Sprintf("%s: failed to rename file %d: %v", a.torrentName(), a.Index, a.Error)
}
func (a FileCompletedAlert) Message() string {
	return fmt.Sprintf("%s: file %d finished downloading", a.torrentName(), a.Index)
}
