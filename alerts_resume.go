package actorrent

import "fmt"

// SaveResumeDataAlert answers TorrentHandle.SaveResumeData: ResumeData is
// the torrent's fast-resume file in libtorrent's bencoded format (write it
// to disk as it is; AddTorrentParams.ResumeData takes it back, and so does
// libtorrent). Never dropped.
type SaveResumeDataAlert struct {
	torrentAlertBase
	ResumeData []byte
}

// SaveResumeDataFailedAlert: SaveResumeData could not make the data (for
// example the torrent is being removed, or nothing changed and
// SaveResumeOnlyIfModified was given). Never dropped.
type SaveResumeDataFailedAlert struct {
	torrentAlertBase
	Error error
}

// FastresumeRejectedAlert: the ResumeData given to AddTorrent was rejected
// as a whole (malformed, or for another torrent); the files are checked in
// full instead. Pieces that resume data claimed but cannot vouch for (a
// file changed) are verified without this alert.
type FastresumeRejectedAlert struct {
	torrentAlertBase
	Error error
}

func (SaveResumeDataAlert) Type() int       { return 37 }
func (SaveResumeDataFailedAlert) Type() int { return 38 }
func (FastresumeRejectedAlert) Type() int   { return 53 }

func (SaveResumeDataAlert) Category() AlertCategory { return CategoryStorage }
func (SaveResumeDataFailedAlert) Category() AlertCategory {
	return CategoryStorage | CategoryError
}
func (FastresumeRejectedAlert) Category() AlertCategory { return CategoryStatus | CategoryError }

func (SaveResumeDataAlert) What() string       { return "save_resume_data" }
func (SaveResumeDataFailedAlert) What() string { return "save_resume_data_failed" }
func (FastresumeRejectedAlert) What() string   { return "fastresume_rejected" }

func (a SaveResumeDataAlert) Message() string {
	return fmt.Sprintf("%s resume data generated (%d bytes)", a.torrentName(), len(a.ResumeData))
}
func (a SaveResumeDataFailedAlert) Message() string {
	return fmt.Sprintf("%s resume data was not generated: %v", a.torrentName(), a.Error)
}
func (a FastresumeRejectedAlert) Message() string {
	return fmt.Sprintf("%s fast resume rejected: %v", a.torrentName(), a.Error)
}
