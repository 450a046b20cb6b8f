package messages

// SessionStatus is a snapshot of session-wide counters (libtorrent's
// session_status), made by the session actor.
type SessionStatus struct {
	UploadRate, DownloadRate                 int
	PayloadUploadRate, PayloadDownloadRate   int
	TotalUpload, TotalDownload               int64
	TotalPayloadUpload, TotalPayloadDownload int64
	TotalFailedBytes, TotalRedundantBytes    int64
	NumPeers                                 int
	// PeerlistSize: the peers in every torrent's peer list, connected or
	// not (as of the torrents' last report).
	PeerlistSize int
	NumTorrents  int
	// ListenAddrs are the listen sockets' addresses.
	ListenAddrs []string
	// Tracker protocol traffic (estimated from the protocols' sizes, as
	// libtorrent does): rates over the last second, and totals.
	TrackerUploadRate, TrackerDownloadRate   int
	TotalTrackerUpload, TotalTrackerDownload int64
}
