package actorrent

import (
	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/messages"
)

// TorrentState is libtorrent's torrent_status::state_t (same values).
type TorrentState = messages.TorrentState

// The torrent states.
const (
	QueuedForChecking   = messages.StateQueuedForChecking
	CheckingFiles       = messages.StateCheckingFiles
	DownloadingMetadata = messages.StateDownloadingMetadata
	Downloading         = messages.StateDownloading
	Finished            = messages.StateFinished
	Seeding             = messages.StateSeeding
	Allocating          = messages.StateAllocating
	CheckingResumeData  = messages.StateCheckingResumeData
)

// StateName is the libtorrent name of a state ("downloading", ...); the
// same as s.String().
func StateName(s TorrentState) string { return s.String() }

// Bitfield is a set of piece indices (bit 0 is piece 0).
type Bitfield = bitfield.Bitfield

// TorrentStatus is a snapshot of a torrent (libtorrent's torrent_status):
// the fields are messages.TorrentStatus's, Handle is the torrent's and
// TorrentFile its metadata as the public type (with QueryTorrentFile;
// nil while a magnet link fetches it).
type TorrentStatus struct {
	messages.TorrentStatus
	Handle      TorrentHandle
	TorrentFile *TorrentInfo
}

// newTorrentStatus gives a torrent's snapshot its handle.
func (s *Session) newTorrentStatus(m *messages.TorrentStatus) TorrentStatus {
	var st TorrentStatus
	s.fillTorrentStatus(&st, m)
	return st
}

// fillTorrentStatus sets st to m with its handle.
func (s *Session) fillTorrentStatus(st *TorrentStatus, m *messages.TorrentStatus) {
	st.TorrentStatus = *m
	st.Handle = TorrentHandle{ih: m.InfoHash, s: s}
	st.TorrentFile = nil
	if m.TorrentFile != nil {
		st.TorrentFile = &TorrentInfo{m: m.TorrentFile}
	}
}
