package actorrent

import (
	"context"

	"github.com/actorrent/actorrent/messages"
)

// SessionStatus is a snapshot of session-wide counters (libtorrent's
// session_status, the fields the engine fills today).
type SessionStatus struct {
	UploadRate, DownloadRate                 int
	PayloadUploadRate, PayloadDownloadRate   int
	TotalUpload, TotalDownload               int64
	TotalPayloadUpload, TotalPayloadDownload int64
	TotalFailedBytes, TotalRedundantBytes    int64
	NumPeers                                 int
	// PeerlistSize: the peers in every torrent's peer list, connected or
	// not (as of the torrents' last per-second report).
	PeerlistSize int
	NumTorrents  int
	ListenAddrs  []string
	// Tracker protocol traffic (estimated from the protocols' sizes, as
	// libtorrent does): rates over the last second, and totals.
	TrackerUploadRate, TrackerDownloadRate   int
	TotalTrackerUpload, TotalTrackerDownload int64
}

// Status returns the session's counters.
func (s *Session) Status(ctx context.Context) (SessionStatus, error) {
	r, err := s.request(ctx, &messages.GetSessionStatus{})
	if err != nil {
		return SessionStatus{}, err
	}
	m := r.(*messages.SessionStatusReply)
	return SessionStatus{
		UploadRate: m.UploadRate, DownloadRate: m.DownloadRate,
		PayloadUploadRate: m.PayloadUploadRate, PayloadDownloadRate: m.PayloadDownloadRate,
		TotalUpload: m.TotalUpload, TotalDownload: m.TotalDownload,
		TotalPayloadUpload: m.TotalPayloadUpload, TotalPayloadDownload: m.TotalPayloadDownload,
		TotalFailedBytes: m.TotalFailedBytes, TotalRedundantBytes: m.TotalRedundantBytes,
		NumPeers: m.NumPeers, PeerlistSize: m.PeerlistSize, NumTorrents: m.NumTorrents, ListenAddrs: m.ListenAddrs,
		TrackerUploadRate: m.TrackerUploadRate, TrackerDownloadRate: m.TrackerDownloadRate,
		TotalTrackerUpload: m.TotalTrackerUpload, TotalTrackerDownload: m.TotalTrackerDownload,
	}, nil
}
