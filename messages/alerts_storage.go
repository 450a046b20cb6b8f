package messages

// Alerts about a torrent's files.

// StorageMovedAlert: MoveStorage finished; SavePath is the new save path.
type StorageMovedAlert struct {
	AlertHeader
	InfoHash InfoHash
	SavePath string
}

// StorageMovedFailedAlert: MoveStorage failed; the files stay where they
// were.
type StorageMovedFailedAlert struct {
	AlertHeader
	InfoHash InfoHash
	SavePath string // where they were to go
	Err      error
}

// FileRenamedAlert: RenameFile finished.
type FileRenamedAlert struct {
	AlertHeader
	InfoHash InfoHash
	Index    int
	Name     string
}

// FileRenameFailedAlert: RenameFile failed.
type FileRenameFailedAlert struct {
	AlertHeader
	InfoHash InfoHash
	Index    int
	Err      error
}

func (StorageMovedAlert) AlertCategory() AlertCategory       { return CategoryStorage }
func (StorageMovedFailedAlert) AlertCategory() AlertCategory { return CategoryStorage | CategoryError }
func (FileRenamedAlert) AlertCategory() AlertCategory        { return CategoryStorage }
func (FileRenameFailedAlert) AlertCategory() AlertCategory   { return CategoryStorage | CategoryError }

func (StorageMovedAlert) AlertWhat() string       { return "storage_moved" }
func (StorageMovedFailedAlert) AlertWhat() string { return "storage_moved_failed" }
func (FileRenamedAlert) AlertWhat() string        { return "file_renamed" }
func (FileRenameFailedAlert) AlertWhat() string   { return "file_rename_failed" }

// libtorrent never drops the rename alerts: a caller waits for one.
func (StorageMovedAlert) Discardable() bool       { return true }
func (StorageMovedFailedAlert) Discardable() bool { return true }
func (FileRenamedAlert) Discardable() bool        { return false }
func (FileRenameFailedAlert) Discardable() bool   { return false }
