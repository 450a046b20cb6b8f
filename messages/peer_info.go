package messages

import (
	"time"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/asynkron/protoactor-go/actor"
)

// PeerFlags are libtorrent's peer_info::peer_flags_t (same bits).
type PeerFlags uint32

// The peer flags we set (libtorrent's names; the others — holepunch,
// i2p, SSL, encryption — belong to features not built).
const (
	PeerInteresting        PeerFlags = 1 << 0  // we are interested in it
	PeerChoked             PeerFlags = 1 << 1  // we choke it
	PeerRemoteInterested   PeerFlags = 1 << 2  // it is interested in us
	PeerRemoteChoked       PeerFlags = 1 << 3  // it chokes us
	PeerSupportsExtensions PeerFlags = 1 << 4  // BEP 10
	PeerOutgoingConnection PeerFlags = 1 << 5  // we connected to it (libtorrent's local_connection)
	PeerHandshake          PeerFlags = 1 << 6  // the BitTorrent handshake is not done
	PeerConnecting         PeerFlags = 1 << 7  // the TCP connection is being made
	PeerOnParole           PeerFlags = 1 << 9  // it took part in a piece that failed
	PeerSeed               PeerFlags = 1 << 10 // it has every piece
	PeerOptimisticUnchoke  PeerFlags = 1 << 11 // unchoked by the optimistic slot
	PeerSnubbed            PeerFlags = 1 << 12 // our requests to it time out
	PeerUploadOnly         PeerFlags = 1 << 13 // it downloads nothing (BEP 21)
	PeerEndgameMode        PeerFlags = 1 << 14 // our requests to it duplicate others'
	PeerUTPSocket          PeerFlags = 1 << 17 // the connection is over uTP (libtorrent's utp_socket, 0x20000)
)

// PeerSourceFlags are libtorrent's peer_source_flags_t: where we learnt
// of a peer (the peer list's sources).
type PeerSourceFlags uint8

// PeerInfo is one connection as libtorrent's peer_info shows it: the peer
// actor fills what it knows (GetPeerInfo), the torrent the rest.
type PeerInfo struct {
	Flags  PeerFlags
	Source PeerSourceFlags
	// IP is the remote endpoint (host:port); LocalEndpoint ours.
	IP, LocalEndpoint string
	PID               [20]byte
	Client            string // its extension handshake's v, else from its peer id
	// Pieces are the pieces it has; NumPieces their count, Progress the
	// share of the torrent (ProgressPPM in millionths).
	Pieces      bitfield.Bitfield
	NumPieces   int
	Progress    float32
	ProgressPPM int
	// Rates in bytes/s over the last seconds; totals since it connected.
	UpSpeed, DownSpeed               int
	PayloadUpSpeed, PayloadDownSpeed int
	TotalDownload, TotalUpload       int64
	DownloadRatePeak, UploadRatePeak int
	// LastRequest and LastActive are the time since our last request to
	// it and since it last sent or received anything.
	LastRequest, LastActive time.Duration
	// DownloadQueueLength: our requests outstanding at it;
	// TargetDLQueueLength what we aim at; UploadQueueLength its requests
	// we have not served yet; QueueBytes the bytes of ours outstanding.
	DownloadQueueLength, TargetDLQueueLength, UploadQueueLength int
	QueueBytes                                                  int
	// RequestTimeout is request_timeout in seconds; NumHashfails the
	// pieces it took part in that failed; Failcount its failed
	// connection attempts (peer list).
	RequestTimeout, NumHashfails, Failcount int
	// ConnectionType is 0 (standard BitTorrent; libtorrent's web and HTTP
	// seeds are 1 and 2).
	ConnectionType int
}

// GetPeerList asks a torrent for its connections; reply *PeerListReply.
type GetPeerList struct{}

// PeerListReply answers GetPeerList: each connection's actor and what the
// torrent knows of it (GetPeerInfo asks the actor for the rest).
type PeerListReply struct {
	Peers []PeerRef
}

// PeerRef is one connection in PeerListReply.
type PeerRef struct {
	PID *actor.PID
	// Info holds the torrent's fields: Source, Failcount, NumHashfails,
	// and the flags it decides (PeerChoked, PeerOptimisticUnchoke,
	// PeerOnParole).
	Info PeerInfo
}

// GetPeerInfo asks a peer actor for its PeerInfo; reply *PeerInfo.
type GetPeerInfo struct{}

// BlockInfo is one block of a piece being downloaded (libtorrent's
// block_info): State 0 none, 1 requested, 3 finished (received); Peer
// the endpoint it came from or is asked of.
type BlockInfo struct {
	State                    int
	Peer                     string
	BytesProgress, BlockSize int
	NumPeers                 int
}

// PartialPieceInfo is a piece being downloaded (libtorrent's
// partial_piece_info).
type PartialPieceInfo struct {
	PieceIndex, BlocksInPiece    int
	Finished, Writing, Requested int
	Blocks                       []BlockInfo
}

// GetDownloadQueue asks a torrent for its pieces in flight; reply
// *DownloadQueueReply.
type GetDownloadQueue struct{}

// DownloadQueueReply answers GetDownloadQueue, by piece index.
type DownloadQueueReply struct {
	Pieces []PartialPieceInfo
}
