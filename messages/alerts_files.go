package messages

// FileCompletedAlert: every piece of a file was verified (libtorrent's
// file_completed_alert).
type FileCompletedAlert struct {
	AlertHeader
	InfoHash InfoHash
	Index    int // the file
}

func (FileCompletedAlert) AlertCategory() AlertCategory { return CategoryProgress }
func (FileCompletedAlert) AlertWhat() string            { return "file_completed" }
func (FileCompletedAlert) Discardable() bool            { return true }
