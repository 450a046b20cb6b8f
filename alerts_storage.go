package actorrent

import "fmt"

// StorageMovedAlert: TorrentHandle.MoveStorage finished; SavePath is the
// torrent's save path now.
type StorageMovedAlert struct {
	torrentAlertBase
	SavePath string
}

// StorageMovedFailedAlert: MoveStorage failed and the files are where
// they were; SavePath is where they were to go.
type StorageMovedFailedAlert struct {
	torrentAlertBase
	SavePath string
	Error    error
}

// FileRenamedAlert: TorrentHandle.RenameFile finished. Never dropped.
type FileRenamedAlert struct {
	torrentAlertBase
	Index int
	Name  string
}

// FileRenameFailedAlert: RenameFile failed. Never dropped.
type FileRenameFailedAlert struct {
	torrentAlertBase
	Index int
	Error error
}

func (StorageMovedAlert) Type() int       { return 33 }
func (StorageMovedFailedAlert) Type() int { return 34 }
func (FileRenamedAlert) Type() int        { return 7 }
func (FileRenameFailedAlert) Type() int   { return 8 }

func (StorageMovedAlert) Category() AlertCategory       { return CategoryStorage }
func (StorageMovedFailedAlert) Category() AlertCategory { return CategoryStorage | CategoryError }
func (FileRenamedAlert) Category() AlertCategory        { return CategoryStorage }
func (FileRenameFailedAlert) Category() AlertCategory   { return CategoryStorage | CategoryError }

func (StorageMovedAlert) What() string       { return "storage_moved" }
func (StorageMovedFailedAlert) What() string { return "storage_moved_failed" }
func (FileRenamedAlert) What() string        { return "file_renamed" }
func (FileRenameFailedAlert) What() string   { return "file_rename_failed" }

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
