package actorrent

import "fmt"

// FileCompletedAlert: every piece of file Index was downloaded and
// verified (libtorrent's file_completed_alert; CategoryProgress).
type FileCompletedAlert struct {
	torrentAlertBase
	Index int
}

func (FileCompletedAlert) Type() int               { return 6 }
func (FileCompletedAlert) Category() AlertCategory { return CategoryProgress }
func (FileCompletedAlert) What() string            { return "file_completed" }
func (a FileCompletedAlert) Message() string {
	return fmt.Sprintf("%s: file %d finished downloading", a.torrentName(), a.Index)
}
