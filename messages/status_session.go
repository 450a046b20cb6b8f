package messages

// SessionStatus is a snapshot of session-wide counters (libtorrent 1.0's
// session_status, every field), made by the session actor. Rates are
// bytes a second over the torrents' last reports; totals count from the
// session's start.
type SessionStatus struct {
	// HasIncomingConnections: a peer has connected to one of our listen
	// sockets since they were opened (listen_interfaces changes reset it).
	HasIncomingConnections bool

	UploadRate, DownloadRate                 int
	PayloadUploadRate, PayloadDownloadRate   int
	TotalUpload, TotalDownload               int64
	TotalPayloadUpload, TotalPayloadDownload int64
	// IP overhead: the TCP/IP headers of the peer traffic, estimated as
	// libtorrent does (a 40-byte header per 1500-byte packet).
	IPOverheadUploadRate, IPOverheadDownloadRate   int
	TotalIPOverheadUpload, TotalIPOverheadDownload int64
	// DHT traffic: 0 until the DHT lands (libtorrent's values with the
	// DHT off).
	DHTUploadRate, DHTDownloadRate   int
	TotalDHTUpload, TotalDHTDownload int64
	// Tracker protocol traffic (estimated from the protocols' sizes, as
	// libtorrent does): rates over the last second, and totals.
	TrackerUploadRate, TrackerDownloadRate   int
	TotalTrackerUpload, TotalTrackerDownload int64
	TotalFailedBytes, TotalRedundantBytes    int64

	// NumPeers counts the session's peer connections, half-open ones
	// included (the connection slots taken).
	NumPeers int
	// NumDeadPeers: connections closed but not yet freed; 0, ours are
	// freed when they close.
	NumDeadPeers int
	// NumUnchoked: peers we unchoke; AllowedUploadSlots the
	// unchoke_slots_limit setting (the largest int when unlimited, as
	// libtorrent's fixed-slots choker).
	NumUnchoked        int
	AllowedUploadSlots int
	// Bandwidth queues: peer requests waiting on the rate limiter (the
	// session's gate counts requests, not directions, so both queue
	// counts are the same number), and their bytes (not counted: 0).
	UpBandwidthQueue, DownBandwidthQueue           int
	UpBandwidthBytesQueue, DownBandwidthBytesQueue int
	// OptimisticUnchokeCounter and UnchokeCounter are the seconds to the
	// next choker rounds: 0, torrents unchoke on events until the choker
	// lands.
	OptimisticUnchokeCounter, UnchokeCounter int
	// DiskWriteQueue: peer readers waiting for disk write credit
	// (max_queued_disk_bytes); DiskReadQueue: 0, reads do not queue
	// peers.
	DiskWriteQueue, DiskReadQueue int

	// DHT state: zero until the DHT lands (libtorrent's values with the
	// DHT off).
	DHTNodes, DHTNodeCache, DHTTorrents int
	DHTGlobalNodes                      int64
	ActiveRequests                      []DHTLookup
	DHTRoutingTable                     []DHTRoutingBucket
	DHTTotalAllocations                 int
	// UTPStats: the uTP sockets of every listen socket, summed.
	UTPStats UTPStatus

	// PeerlistSize: the peers in every torrent's peer list, connected or
	// not (as of the torrents' last report).
	PeerlistSize int
	// NumTorrents and NumPausedTorrents: the torrents in the session and
	// those of them paused by their own flag.
	NumTorrents, NumPausedTorrents int

	// ListenAddrs are the listen sockets' addresses (ours, not in
	// session_status).
	ListenAddrs []string
}

// DHTLookup is one running DHT lookup (libtorrent's dht_lookup).
type DHTLookup struct {
	Type                               string
	OutstandingRequests, Timeouts      int
	Responses, BranchFactor, NodesLeft int
	LastSent, FirstTimeout             int
}

// DHTRoutingBucket is one bucket of the DHT routing table (libtorrent's
// dht_routing_bucket); LastActive in seconds.
type DHTRoutingBucket struct {
	NumNodes, NumReplacements, LastActive int
}

// UTPStatus counts the uTP sockets by state (libtorrent's utp_status:
// the five gauges of 1.0), and what they did since the session started
// (the counters libtorrent 1.1 added to it, the utp.* metrics).
type UTPStatus struct {
	NumIdle, NumSynSent, NumConnected, NumFinSent, NumCloseWait int

	PacketLoss, Timeout, PacketsIn, PacketsOut, FastRetransmit, PacketResend uint64
	SamplesAboveTarget, SamplesBelowTarget, PayloadPktsIn, PayloadPktsOut    uint64
	InvalidPktsIn, RedundantPktsIn                                           uint64
}
