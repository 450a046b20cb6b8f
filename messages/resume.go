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
