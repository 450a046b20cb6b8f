package messages

// Resume data: asking a torrent for it, and the alerts that carry it.

// SaveResumeFlags are libtorrent's save_resume_flags_t (same bits).
type SaveResumeFlags uint8

// The flags of SaveResumeData.
const (
	// SaveResumeFlushDiskCache writes cached blocks out first.
	SaveResumeFlushDiskCache SaveResumeFlags = 0x1
	// SaveResumeSaveInfoDict includes the info dictionary ("info").
	SaveResumeSaveInfoDict SaveResumeFlags = 0x2
	// SaveResumeOnlyIfModified saves nothing (and posts no alert) when
	// nothing changed since the last save.
	SaveResumeOnlyIfModified SaveResumeFlags = 0x4
)

// SaveResumeData asks a torrent for its fast-resume data; it answers with
// a SaveResumeDataAlert or a SaveResumeDataFailedAlert.
type SaveResumeData struct {
	Flags SaveResumeFlags
}

// SaveResumeDataAlert carries a torrent's fast-resume data, bencoded in
// libtorrent's format.
type SaveResumeDataAlert struct {
	AlertHeader
	InfoHash   InfoHash
	ResumeData []byte
}

// SaveResumeDataFailedAlert: the resume data could not be made.
type SaveResumeDataFailedAlert struct {
	AlertHeader
	InfoHash InfoHash
	Err      error
}

// FastresumeRejectedAlert: the resume data given when the torrent was
// added was rejected as a whole; the files are checked in full instead.
type FastresumeRejectedAlert struct {
	AlertHeader
	InfoHash InfoHash
	Err      error
}

func (SaveResumeDataAlert) AlertCategory() AlertCategory { return CategoryStorage }
func (SaveResumeDataFailedAlert) AlertCategory() AlertCategory {
	return CategoryStorage | CategoryError
}
func (FastresumeRejectedAlert) AlertCategory() AlertCategory { return CategoryStatus | CategoryError }

func (SaveResumeDataAlert) AlertWhat() string       { return "save_resume_data" }
func (SaveResumeDataFailedAlert) AlertWhat() string { return "save_resume_data_failed" }
func (FastresumeRejectedAlert) AlertWhat() string   { return "fastresume_rejected" }

// A user waits for exactly one of the save alerts per request: libtorrent
// never drops them.
func (SaveResumeDataAlert) Discardable() bool       { return false }
func (SaveResumeDataFailedAlert) Discardable() bool { return false }
func (FastresumeRejectedAlert) Discardable() bool   { return true }
