package messages

import "fmt"

// Alerts about metadata and resume data.

// MetadataReceivedAlert: a torrent added from a magnet link (or by
// info-hash) has its metadata, fetched from peers and verified; its
// download starts (libtorrent's metadata_received_alert).
type MetadataReceivedAlert struct{ TorrentAlertHeader }

// MetadataFailedAlert: metadata fetched from peers did not match the
// info-hash (or was not a valid torrent). The peers that sent it are
// dropped and the fetch goes on from others (metadata_failed_alert).
type MetadataFailedAlert struct {
	TorrentAlertHeader
	Error error
}

// SaveResumeDataAlert answers TorrentHandle.SaveResumeData: ResumeData is
// the torrent's fast-resume file in libtorrent's bencoded format (write it
// to disk as it is; AddTorrentParams.ResumeData takes it back, and so does
// libtorrent). Posted whatever the alert mask, never dropped.
type SaveResumeDataAlert struct {
	TorrentAlertHeader
	ResumeData []byte
}

// SaveResumeDataFailedAlert: SaveResumeData could not make the data (for
// example the torrent is being removed, or nothing changed and
// SaveResumeOnlyIfModified was given). Posted whatever the alert mask,
// never dropped.
type SaveResumeDataFailedAlert struct {
	TorrentAlertHeader
	Error error
}

// FastresumeRejectedAlert: the ResumeData given to AddTorrent was rejected
// as a whole (malformed, or for another torrent); the files are checked in
// full instead. Pieces that resume data claimed but cannot vouch for (a
// file changed) are verified without this alert.
type FastresumeRejectedAlert struct {
	TorrentAlertHeader
	Error error
}

func (MetadataReceivedAlert) Type() int     { return 45 }
func (MetadataFailedAlert) Type() int       { return 44 }
func (SaveResumeDataAlert) Type() int       { return 37 }
func (SaveResumeDataFailedAlert) Type() int { return 38 }
func (FastresumeRejectedAlert) Type() int   { return 53 }

func (MetadataReceivedAlert) Category() AlertCategory     { return CategoryStatus }
func (MetadataFailedAlert) Category() AlertCategory       { return CategoryError }
func (SaveResumeDataAlert) Category() AlertCategory       { return CategoryStorage }
func (SaveResumeDataFailedAlert) Category() AlertCategory { return CategoryStorage | CategoryError }
func (FastresumeRejectedAlert) Category() AlertCategory   { return CategoryStatus | CategoryError }

func (MetadataReceivedAlert) What() string     { return "metadata_received" }
func (MetadataFailedAlert) What() string       { return "metadata_failed" }
func (SaveResumeDataAlert) What() string       { return "save_resume_data" }
func (SaveResumeDataFailedAlert) What() string { return "save_resume_data_failed" }
func (FastresumeRejectedAlert) What() string   { return "fastresume_rejected" }

// A user waits for exactly one of the save alerts per request: libtorrent
// never drops them.
func (MetadataReceivedAlert) Discardable() bool     { return true }
func (MetadataFailedAlert) Discardable() bool       { return true }
func (SaveResumeDataAlert) Discardable() bool       { return false }
func (SaveResumeDataFailedAlert) Discardable() bool { return false }
func (FastresumeRejectedAlert) Discardable() bool   { return true }

func (a MetadataReceivedAlert) Message() string {
	return a.torrentName() + " metadata successfully received"
}
func (a MetadataFailedAlert) Message() string {
	return fmt.Sprintf("%s invalid metadata received: %v", a.torrentName(), a.Error)
}
func (a SaveResumeDataAlert) Message() string {
	return fmt.Sprintf("%s resume data generated (%d bytes)", a.torrentName(), len(a.ResumeData))
}
func (a SaveResumeDataFailedAlert) Message() string {
	return fmt.Sprintf("%s resume data was not generated: %v", a.torrentName(), a.Error)
}
func (a FastresumeRejectedAlert) Message() string {
	return fmt.Sprintf("%s fast resume rejected: %v", a.torrentName(), a.Error)
}
