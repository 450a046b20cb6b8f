package messages

import (
	"net"

	"github.com/actorrent/actorrent/internal/bitfield"
	"github.com/actorrent/actorrent/internal/slotclaim"
	"github.com/actorrent/actorrent/internal/wire"
)

// Messages to a torrent actor: from the facade (through the session), from
// the session, and from its peer actors.

// ConnectPeer asks the torrent to connect to addr (host:port).
type ConnectPeer struct {
	Addr string
}

// TurnOverPeers is the session's peer turnover round (peer_turnover,
// internal/turnover): the torrent drops its worst peers, and with
// OwnLimit only if it is at peer_turnover_cutoff of its own limit.
type TurnOverPeers struct {
	OwnLimit bool
}

// AttachPeer hands an incoming, already handshaken connection to the torrent.
// The torrent owns Conn from now on (it closes it if it cannot take it).
type AttachPeer struct {
	Conn      net.Conn
	Handshake wire.Handshake
	// UTP: Conn is a uTP connection (libtorrent's utp_socket type).
	UTP bool
}

// PauseTorrent disconnects every peer and stops the torrent's activity.
// Graceful (libtorrent's graceful_pause) lets the blocks already
// requested arrive first: no new requests go out, and each peer is
// disconnected once it has nothing outstanding.
type PauseTorrent struct {
	Graceful bool
}

// ResumeTorrent undoes PauseTorrent.
type ResumeTorrent struct{}

// ForceRecheck discards what the torrent knows of its pieces and checks the
// files again.
type ForceRecheck struct{}

// GetTorrentStatus asks for a status snapshot; reply *TorrentStatus.
// Flags select the costly fields (status_flags.go); ForUpdate: the
// snapshot goes into a state_update, the torrent may report a change again.
type GetTorrentStatus struct {
	Flags     StatusFlags
	ForUpdate bool
	// SeedRank is filled by the session on the way: its queue ranks
	// the seeds.
	SeedRank int
	// Into, when set, is where the torrent writes its status (a bulk
	// status's slot, the caller's memory: no status is allocated per
	// torrent), through Claims' slot Index, which may have been taken
	// back; it then answers StatusFilled{Index} instead.
	Into   *TorrentStatus
	Claims *slotclaim.Claims
	Index  int
}

// StatusFilled answers a GetTorrentStatus with Into: the status is there.
type StatusFilled struct {
	Index int
}

// RemoveTorrent stops the torrent; with DeleteFiles its files are removed.
// The torrent stops itself when done.
type RemoveTorrent struct {
	DeleteFiles bool
}

// Events from peer actors to their torrent.

// PeerConnected: the handshake completed.
type PeerConnected struct {
	Key    PeerKey
	PeerID [20]byte
	Addr   string
	// Incoming is true for connections the remote opened.
	Incoming bool
	// UTP: the connection is over uTP, not TCP.
	UTP bool
}

// PeerUTPFailed: an outgoing uTP connect to the peer failed; the torrent
// remembers the address as lacking uTP (libtorrent's supports_utp), and
// the peer goes on over TCP when it may.
type PeerUTPFailed struct {
	Key PeerKey
}

// PeerClosed: the connection ended; Err is why (nil when we closed it).
type PeerClosed struct {
	Key    PeerKey
	Addr   string
	PeerID [20]byte
	Err    error
	// Protocol marks Err as the peer's fault (peer_error) rather than a
	// plain disconnect.
	Protocol bool
}

// PeerBitfield: the peer's bitfield (also sent for HAVE_ALL as all ones).
type PeerBitfield struct {
	Key      PeerKey
	Bitfield bitfield.Bitfield
}

// PeerHave: the peer announced a piece.
type PeerHave struct {
	Key   PeerKey
	Piece int
}

// PeerInterest: the peer became (not) interested in us.
type PeerInterest struct {
	Key        PeerKey
	Interested bool
}

// PeerReportSeen: the torrent handled a peer's PeerInterest (Bitfield
// false) or PeerBitfield (true). A peer keeps one of each in flight and
// sends what changed meanwhile only then (peeractor/reports.go), so that a
// remote flooding either cannot grow the torrent's mailbox.
type PeerReportSeen struct{ Bitfield bool }

// RequestBlocks: the peer's pipeline runs low; the torrent answers with
// BlocksAssigned (possibly empty).
type RequestBlocks struct {
	Key PeerKey
	Max int
	// Allowed, when not nil, limits the pick to these pieces: the peer
	// chokes us and serves only its allowed-fast set (BEP 6).
	Allowed []int
}

// BlocksReceived: requested blocks arrived and went to the disk.
type BlocksReceived struct {
	Key    PeerKey
	Blocks []Block
}

// BlocksCancelled: requests that will not be answered (choked, rejected,
// timed out); the torrent puts them back in the picker.
type BlocksCancelled struct {
	Key    PeerKey
	Blocks []Block
}

// PeerStats: per-second counters of a peer, sent on its tick.
type PeerStats struct {
	Key                 PeerKey
	Download, Upload    int64 // bytes since last report, protocol included
	PayloadDownload     int64
	PayloadUpload       int64
	DownloadRate        int
	UploadRate          int
	PayloadDownloadRate int
	PayloadUploadRate   int
	IsSeed              bool
	// Snubbed: the peer leaves our requests unanswered (peer_snubbed;
	// the choker gives it no regular slot); NumHave: the pieces it has.
	Snubbed bool
	NumHave int
	// UploadOnly and ShareMode are what the peer said in its extension
	// handshake (upload_only; share_mode, heard only with
	// support_share_mode): it downloads nothing from us worth counting
	// (share mode's downloaders).
	UploadOnly, ShareMode bool
	// IPOverheadUpload and IPOverheadDownload are libtorrent's estimate
	// of the TCP/IP headers of the bytes moved since the last report.
	IPOverheadUpload, IPOverheadDownload int64
}

// MoveStorage moves the torrent's files under SavePath (storage_moved or
// storage_moved_failed alert). Flags are libtorrent's move_flags_t.
type MoveStorage struct {
	SavePath string
	Flags    int
}

// RenameFile gives file Index a new path (file_renamed or
// file_rename_failed alert).
type RenameFile struct {
	Index int
	Name  string
}

// ClearError takes the torrent out of the error state (and out of an upload
// mode a full disk put it in); it downloads again.
type ClearError struct{}

// SetUploadMode puts the torrent in upload mode (no downloading, seeding
// what it has) or takes it out.
type SetUploadMode struct {
	On bool
}

// SetFilePriorities sets the priority (0 to 7) of files: Priorities has
// one entry per file, or Index/Priority sets one (Index >= 0).
type SetFilePriorities struct {
	Priorities []int
	Index      int
	Priority   int
}

// SetPiecePriorities sets piece priorities the same way.
type SetPiecePriorities struct {
	Priorities []int
	Index      int
	Priority   int
}

// GetPriorities asks for the file and piece priorities; reply
// PrioritiesReply.
type GetPriorities struct{}

// PrioritiesReply answers GetPriorities.
type PrioritiesReply struct {
	Files, Pieces []int
}

// TorrentLimit names one of a torrent's own limits.
type TorrentLimit int

// The limits of SetTorrentLimit.
const (
	LimitMaxUploads TorrentLimit = iota
	LimitMaxConnections
	LimitUpload   // bytes a second
	LimitDownload // bytes a second
)

// SetTorrentLimit changes one of the torrent's own limits (<= 0: none).
type SetTorrentLimit struct {
	Limit TorrentLimit
	Value int
}

// GetTorrentLimits asks for the torrent's own limits; reply
// TorrentLimits.
type GetTorrentLimits struct{}

// FlushCache writes the torrent's blocks in the disk cache out and closes
// its files (libtorrent's torrent_handle::flush_cache); the torrent posts
// cache_flushed when done.
type FlushCache struct{}

// PieceRead: a peer served a block of Piece read from the disk, so the
// piece is in the read cache; with suggest_mode suggest_read_cache the
// torrent suggests it to its other peers (SuggestPiece).
type PieceRead struct {
	Key   PeerKey
	Piece int
}
