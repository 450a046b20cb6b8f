package stats

// Index is where a metric the engine fills is in a values slice: our own
// dense indices, in this order (libtorrent's value_index differs; look
// metrics up by name).
type Index int

// The metrics the engine fills. Every name is libtorrent 1.1's and means
// what libtorrent's means (see indexNames); the ones whose feature does not
// exist (DHT, SSL, SOCKS, i2p) or that we
// cannot count with libtorrent's meaning are absent.
const (
	// Peer connections and disconnects (peeractor, sessionactor's listener).
	PeerErrorPeers Index = iota
	PeerDisconnectedPeers
	PeerEOFPeers
	PeerConnresetPeers
	PeerConnrefusedPeers
	PeerConnabortedPeers
	PeerNotconnectedPeers
	PeerPermPeers
	PeerBufferPeers
	PeerUnreachablePeers
	PeerBrokenPipePeers
	PeerAddrinusePeers
	PeerNoAccessPeers
	PeerInvalidArgPeers
	PeerAbortedPeers
	PeerPieceRequests
	PeerMaxPieceRequests
	PeerInvalidPieceRequests
	PeerChokedPieceRequests
	PeerPieceRejects
	PeerCancelledPieceRequests
	PeerConnectTimeouts
	PeerNumBannedPeers
	PeerBannedForHashFailure
	PeerTimeoutPeers
	PeerConnectionAttempts
	PeerIncomingConnections
	PeerNumTCPPeers
	PeerNumUTPPeers
	PeerErrorUTPPeers
	PeerNumPeersHalfOpen
	PeerNumPeersConnected
	PeerNumPeersUpInterested
	PeerNumPeersDownInterested
	PeerNumPeersUpUnchokedAll
	PeerNumPeersDownUnchoked

	// Bytes (peeractor's reader and writer, torrentactor).
	NetSentPayloadBytes
	NetSentBytes
	NetSentIPOverheadBytes
	NetSentTrackerBytes
	NetRecvPayloadBytes
	NetRecvBytes
	NetRecvIPOverheadBytes
	NetRecvTrackerBytes
	NetRecvFailedBytes
	NetRecvRedundantBytes
	NetHasIncomingConnections

	// Torrents by state (torrentactor, kept with inc/dec) and pieces.
	SesNumCheckingTorrents
	SesNumStoppedTorrents
	SesNumUploadOnlyTorrents
	SesNumDownloadingTorrents
	SesNumSeedingTorrents
	SesNumQueuedSeedingTorrents
	SesNumQueuedDownloadTorrents
	SesNumErrorTorrents
	SesNumPiecePassed
	SesNumPieceFailed
	SesNumHavePieces

	// Wire messages received, by type (every type is counted as it arrives, supported or not).
	SesNumIncomingChoke
	SesNumIncomingUnchoke
	SesNumIncomingInterested
	SesNumIncomingNotInterested
	SesNumIncomingHave
	SesNumIncomingBitfield
	SesNumIncomingRequest
	SesNumIncomingPiece
	SesNumIncomingCancel
	SesNumIncomingDHTPort
	SesNumIncomingSuggest
	SesNumIncomingHaveAll
	SesNumIncomingHaveNone
	SesNumIncomingReject
	SesNumIncomingAllowedFast
	SesNumIncomingExtHandshake
	SesNumIncomingMetadata
	SesNumIncomingExtended
	SesNumIncomingPex

	// Wire messages sent, by type.
	SesNumOutgoingChoke
	SesNumOutgoingUnchoke
	SesNumOutgoingInterested
	SesNumOutgoingNotInterested
	SesNumOutgoingHave
	SesNumOutgoingBitfield
	SesNumOutgoingRequest
	SesNumOutgoingPiece
	SesNumOutgoingCancel
	SesNumOutgoingDHTPort
	SesNumOutgoingExtHandshake
	SesNumOutgoingMetadata
	SesNumOutgoingExtended
	SesNumOutgoingPex
	SesNumOutgoingHaveAll
	SesNumOutgoingHaveNone
	SesNumOutgoingReject
	SesNumOutgoingAllowedFast
	SesNumOutgoingSuggest

	// Disk: read off the disk actor's cache status when collected (the disk actor keeps them in its own fields).
	DiskWriteCacheBlocks
	DiskReadCacheBlocks
	DiskPinnedBlocks
	DiskDiskBlocksInUse
	DiskQueuedDiskJobs
	DiskNumRunningDiskJobs
	DiskNumReadJobs
	DiskNumWriteJobs
	DiskNumJobs
	DiskBlockedDiskJobs
	DiskNumWritingThreads
	DiskQueuedWriteBytes
	DiskARCMRUSize
	DiskARCMRUGhostSize
	DiskARCMFUSize
	DiskARCMFUGhostSize
	DiskARCWriteSize
	DiskARCVolatileSize
	DiskNumBlocksWritten
	DiskNumBlocksRead
	DiskNumBlocksCacheHits
	DiskNumWriteOps
	DiskNumReadOps
	DiskNumReadBack
	DiskDiskReadTime
	DiskDiskWriteTime
	DiskDiskHashTime
	DiskDiskJobTime

	// DHT: read off the session's DHT node when collected (its socket
	// counts the messages; the gauges are its table and stores). The
	// invalid_* counters are absent: the library answers bad requests
	// without telling us.
	DHTNodes
	DHTNodeCache
	DHTTorrents
	DHTPeers
	DHTImmutableData
	DHTMutableData
	DHTAllocatedObservers
	DHTMessagesIn
	DHTMessagesOut
	DHTMessagesOutDropped
	DHTBytesIn
	DHTBytesOut
	DHTPingIn
	DHTPingOut
	DHTFindNodeIn
	DHTFindNodeOut
	DHTGetPeersIn
	DHTGetPeersOut
	DHTAnnouncePeerIn
	DHTAnnouncePeerOut
	DHTGetIn
	DHTGetOut
	DHTPutIn
	DHTPutOut

	// uTP: read off the session's uTP sockets when collected (each socket
	// counts on its own goroutine). num_utp_deleted is absent: our sockets
	// free a connection when it closes, they keep none pending delete.
	UTPPacketLoss
	UTPTimeout
	UTPPacketsIn
	UTPPacketsOut
	UTPFastRetransmit
	UTPPacketResend
	UTPSamplesAboveTarget
	UTPSamplesBelowTarget
	UTPPayloadPktsIn
	UTPPayloadPktsOut
	UTPInvalidPktsIn
	UTPRedundantPktsIn
	UTPNumIdle
	UTPNumSynSent
	UTPNumConnected
	UTPNumFinSent
	UTPNumCloseWait

	// NumIndexes is the number of metrics the engine fills.
	NumIndexes
)

// indexNames are the libtorrent names of the indices.
var indexNames = [NumIndexes]string{
	PeerErrorPeers:               "peer.error_peers",
	PeerDisconnectedPeers:        "peer.disconnected_peers",
	PeerEOFPeers:                 "peer.eof_peers",
	PeerConnresetPeers:           "peer.connreset_peers",
	PeerConnrefusedPeers:         "peer.connrefused_peers",
	PeerConnabortedPeers:         "peer.connaborted_peers",
	PeerNotconnectedPeers:        "peer.notconnected_peers",
	PeerPermPeers:                "peer.perm_peers",
	PeerBufferPeers:              "peer.buffer_peers",
	PeerUnreachablePeers:         "peer.unreachable_peers",
	PeerBrokenPipePeers:          "peer.broken_pipe_peers",
	PeerAddrinusePeers:           "peer.addrinuse_peers",
	PeerNoAccessPeers:            "peer.no_access_peers",
	PeerInvalidArgPeers:          "peer.invalid_arg_peers",
	PeerAbortedPeers:             "peer.aborted_peers",
	PeerPieceRequests:            "peer.piece_requests",
	PeerMaxPieceRequests:         "peer.max_piece_requests",
	PeerInvalidPieceRequests:     "peer.invalid_piece_requests",
	PeerChokedPieceRequests:      "peer.choked_piece_requests",
	PeerPieceRejects:             "peer.piece_rejects",
	PeerCancelledPieceRequests:   "peer.cancelled_piece_requests",
	PeerNumBannedPeers:           "peer.num_banned_peers",
	PeerBannedForHashFailure:     "peer.banned_for_hash_failure",
	PeerConnectTimeouts:          "peer.connect_timeouts",
	PeerTimeoutPeers:             "peer.timeout_peers",
	PeerConnectionAttempts:       "peer.connection_attempts",
	PeerIncomingConnections:      "peer.incoming_connections",
	PeerNumTCPPeers:              "peer.num_tcp_peers",
	PeerNumUTPPeers:              "peer.num_utp_peers",
	PeerErrorUTPPeers:            "peer.error_utp_peers",
	PeerNumPeersHalfOpen:         "peer.num_peers_half_open",
	PeerNumPeersConnected:        "peer.num_peers_connected",
	PeerNumPeersUpInterested:     "peer.num_peers_up_interested",
	PeerNumPeersDownInterested:   "peer.num_peers_down_interested",
	PeerNumPeersUpUnchokedAll:    "peer.num_peers_up_unchoked_all",
	PeerNumPeersDownUnchoked:     "peer.num_peers_down_unchoked",
	NetSentPayloadBytes:          "net.sent_payload_bytes",
	NetSentBytes:                 "net.sent_bytes",
	NetSentIPOverheadBytes:       "net.sent_ip_overhead_bytes",
	NetSentTrackerBytes:          "net.sent_tracker_bytes",
	NetRecvPayloadBytes:          "net.recv_payload_bytes",
	NetRecvBytes:                 "net.recv_bytes",
	NetRecvIPOverheadBytes:       "net.recv_ip_overhead_bytes",
	NetRecvTrackerBytes:          "net.recv_tracker_bytes",
	NetRecvFailedBytes:           "net.recv_failed_bytes",
	NetRecvRedundantBytes:        "net.recv_redundant_bytes",
	NetHasIncomingConnections:    "net.has_incoming_connections",
	SesNumCheckingTorrents:       "ses.num_checking_torrents",
	SesNumStoppedTorrents:        "ses.num_stopped_torrents",
	SesNumUploadOnlyTorrents:     "ses.num_upload_only_torrents",
	SesNumDownloadingTorrents:    "ses.num_downloading_torrents",
	SesNumSeedingTorrents:        "ses.num_seeding_torrents",
	SesNumQueuedSeedingTorrents:  "ses.num_queued_seeding_torrents",
	SesNumQueuedDownloadTorrents: "ses.num_queued_download_torrents",
	SesNumErrorTorrents:          "ses.num_error_torrents",
	SesNumPiecePassed:            "ses.num_piece_passed",
	SesNumPieceFailed:            "ses.num_piece_failed",
	SesNumHavePieces:             "ses.num_have_pieces",
	SesNumIncomingChoke:          "ses.num_incoming_choke",
	SesNumIncomingUnchoke:        "ses.num_incoming_unchoke",
	SesNumIncomingInterested:     "ses.num_incoming_interested",
	SesNumIncomingNotInterested:  "ses.num_incoming_not_interested",
	SesNumIncomingHave:           "ses.num_incoming_have",
	SesNumIncomingBitfield:       "ses.num_incoming_bitfield",
	SesNumIncomingRequest:        "ses.num_incoming_request",
	SesNumIncomingPiece:          "ses.num_incoming_piece",
	SesNumIncomingCancel:         "ses.num_incoming_cancel",
	SesNumIncomingDHTPort:        "ses.num_incoming_dht_port",
	SesNumIncomingSuggest:        "ses.num_incoming_suggest",
	SesNumIncomingHaveAll:        "ses.num_incoming_have_all",
	SesNumIncomingHaveNone:       "ses.num_incoming_have_none",
	SesNumIncomingReject:         "ses.num_incoming_reject",
	SesNumIncomingAllowedFast:    "ses.num_incoming_allowed_fast",
	SesNumIncomingExtHandshake:   "ses.num_incoming_ext_handshake",
	SesNumIncomingMetadata:       "ses.num_incoming_metadata",
	SesNumIncomingExtended:       "ses.num_incoming_extended",
	SesNumIncomingPex:            "ses.num_incoming_pex",
	SesNumOutgoingChoke:          "ses.num_outgoing_choke",
	SesNumOutgoingUnchoke:        "ses.num_outgoing_unchoke",
	SesNumOutgoingInterested:     "ses.num_outgoing_interested",
	SesNumOutgoingNotInterested:  "ses.num_outgoing_not_interested",
	SesNumOutgoingHave:           "ses.num_outgoing_have",
	SesNumOutgoingBitfield:       "ses.num_outgoing_bitfield",
	SesNumOutgoingRequest:        "ses.num_outgoing_request",
	SesNumOutgoingPiece:          "ses.num_outgoing_piece",
	SesNumOutgoingCancel:         "ses.num_outgoing_cancel",
	SesNumOutgoingDHTPort:        "ses.num_outgoing_dht_port",
	SesNumOutgoingExtHandshake:   "ses.num_outgoing_ext_handshake",
	SesNumOutgoingMetadata:       "ses.num_outgoing_metadata",
	SesNumOutgoingExtended:       "ses.num_outgoing_extended",
	SesNumOutgoingPex:            "ses.num_outgoing_pex",
	SesNumOutgoingHaveAll:        "ses.num_outgoing_have_all",
	SesNumOutgoingHaveNone:       "ses.num_outgoing_have_none",
	SesNumOutgoingReject:         "ses.num_outgoing_reject",
	SesNumOutgoingAllowedFast:    "ses.num_outgoing_allowed_fast",
	SesNumOutgoingSuggest:        "ses.num_outgoing_suggest",
	DiskWriteCacheBlocks:         "disk.write_cache_blocks",
	DiskReadCacheBlocks:          "disk.read_cache_blocks",
	DiskPinnedBlocks:             "disk.pinned_blocks",
	DiskDiskBlocksInUse:          "disk.disk_blocks_in_use",
	DiskQueuedDiskJobs:           "disk.queued_disk_jobs",
	DiskNumRunningDiskJobs:       "disk.num_running_disk_jobs",
	DiskNumReadJobs:              "disk.num_read_jobs",
	DiskNumWriteJobs:             "disk.num_write_jobs",
	DiskNumJobs:                  "disk.num_jobs",
	DiskBlockedDiskJobs:          "disk.blocked_disk_jobs",
	DiskQueuedWriteBytes:         "disk.queued_write_bytes",
	DiskNumWritingThreads:        "disk.num_writing_threads",
	DiskARCMRUSize:               "disk.arc_mru_size",
	DiskARCMRUGhostSize:          "disk.arc_mru_ghost_size",
	DiskARCMFUSize:               "disk.arc_mfu_size",
	DiskARCMFUGhostSize:          "disk.arc_mfu_ghost_size",
	DiskARCWriteSize:             "disk.arc_write_size",
	DiskARCVolatileSize:          "disk.arc_volatile_size",
	DiskNumBlocksWritten:         "disk.num_blocks_written",
	DiskNumBlocksRead:            "disk.num_blocks_read",
	DiskNumBlocksCacheHits:       "disk.num_blocks_cache_hits",
	DiskNumWriteOps:              "disk.num_write_ops",
	DiskNumReadOps:               "disk.num_read_ops",
	DiskNumReadBack:              "disk.num_read_back",
	DiskDiskReadTime:             "disk.disk_read_time",
	DiskDiskWriteTime:            "disk.disk_write_time",
	DiskDiskHashTime:             "disk.disk_hash_time",
	DiskDiskJobTime:              "disk.disk_job_time",
	UTPPacketLoss:                "utp.utp_packet_loss",
	UTPTimeout:                   "utp.utp_timeout",
	UTPPacketsIn:                 "utp.utp_packets_in",
	UTPPacketsOut:                "utp.utp_packets_out",
	UTPFastRetransmit:            "utp.utp_fast_retransmit",
	UTPPacketResend:              "utp.utp_packet_resend",
	UTPSamplesAboveTarget:        "utp.utp_samples_above_target",
	UTPSamplesBelowTarget:        "utp.utp_samples_below_target",
	UTPPayloadPktsIn:             "utp.utp_payload_pkts_in",
	UTPPayloadPktsOut:            "utp.utp_payload_pkts_out",
	UTPInvalidPktsIn:             "utp.utp_invalid_pkts_in",
	UTPRedundantPktsIn:           "utp.utp_redundant_pkts_in",
	DHTNodes:                     "dht.dht_nodes",
	DHTNodeCache:                 "dht.dht_node_cache",
	DHTTorrents:                  "dht.dht_torrents",
	DHTPeers:                     "dht.dht_peers",
	DHTImmutableData:             "dht.dht_immutable_data",
	DHTMutableData:               "dht.dht_mutable_data",
	DHTAllocatedObservers:        "dht.dht_allocated_observers",
	DHTMessagesIn:                "dht.dht_messages_in",
	DHTMessagesOut:               "dht.dht_messages_out",
	DHTMessagesOutDropped:        "dht.dht_messages_out_dropped",
	DHTBytesIn:                   "dht.dht_bytes_in",
	DHTBytesOut:                  "dht.dht_bytes_out",
	DHTPingIn:                    "dht.dht_ping_in",
	DHTPingOut:                   "dht.dht_ping_out",
	DHTFindNodeIn:                "dht.dht_find_node_in",
	DHTFindNodeOut:               "dht.dht_find_node_out",
	DHTGetPeersIn:                "dht.dht_get_peers_in",
	DHTGetPeersOut:               "dht.dht_get_peers_out",
	DHTAnnouncePeerIn:            "dht.dht_announce_peer_in",
	DHTAnnouncePeerOut:           "dht.dht_announce_peer_out",
	DHTGetIn:                     "dht.dht_get_in",
	DHTGetOut:                    "dht.dht_get_out",
	DHTPutIn:                     "dht.dht_put_in",
	DHTPutOut:                    "dht.dht_put_out",
	UTPNumIdle:                   "utp.num_utp_idle",
	UTPNumSynSent:                "utp.num_utp_syn_sent",
	UTPNumConnected:              "utp.num_utp_connected",
	UTPNumFinSent:                "utp.num_utp_fin_sent",
	UTPNumCloseWait:              "utp.num_utp_close_wait",
}
