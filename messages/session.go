package messages

import (
	"net"
	"time"

	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/internal/storage"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/asynkron/protoactor-go/actor"
)

// Messages to the session actor.

// AddTorrentFlags mirror libtorrent's add_torrent_params flags.
type AddTorrentFlags uint64

// The flags the engine knows (libtorrent's bit values).
const (
	FlagSeedMode           AddTorrentFlags = 0x001
	FlagOverrideResumeData AddTorrentFlags = 0x002
	FlagUploadMode         AddTorrentFlags = 0x004
	FlagShareMode          AddTorrentFlags = 0x008
	FlagApplyIPFilter      AddTorrentFlags = 0x010
	FlagPaused             AddTorrentFlags = 0x020
	FlagAutoManaged        AddTorrentFlags = 0x040
	FlagDuplicateIsError   AddTorrentFlags = 0x080
	FlagMergeResumeTracker AddTorrentFlags = 0x100
	FlagUpdateSubscribe    AddTorrentFlags = 0x200
	FlagSuperSeeding       AddTorrentFlags = 0x400
	FlagSequentialDownload AddTorrentFlags = 0x800
	FlagUseResumeSavePath  AddTorrentFlags = 0x1000
)

// AddTorrent adds a torrent; reply AddTorrentReply. The session posts
// add_torrent (and on success torrent_added) alerts.
type AddTorrent struct {
	// Info is the torrent; nil for a magnet link or bare info-hash add,
	// which then gives InfoHash (the metadata comes from peers).
	Info *metainfo.MetaInfo
	// InfoHash, Name and Peers are used when Info is nil: the torrent's
	// info-hash, its name until the metadata is known (a magnet's dn), and
	// peers to connect to (a magnet's x.pe).
	InfoHash InfoHash
	Name     string
	Peers    []string
	SavePath string
	Flags    AddTorrentFlags
	// ResumeData is libtorrent-format fast-resume data, or nil.
	ResumeData  []byte
	StorageMode StorageMode
	// NewStorage makes the torrent's storage (nil: files under SavePath).
	NewStorage     storage.Constructor
	FilePriorities []int
	// Async marks AsyncAddTorrent: nobody waits for the reply.
	Async bool
	// Trackers are the torrent's trackers by tier (nil: the torrent
	// file's announce list).
	Trackers [][]string
	// TrackerID is sent to trackers until one gives us its own.
	TrackerID string
	// UserData is echoed in the add_torrent alert (the params).
	UserData any
	// Limits are the torrent's own limits.
	Limits TorrentLimits
	// Prealloc is the torrent actor's memory, allocated by the adding
	// goroutine (a *torrentactor.Prealloc, which this package cannot
	// name); nil: the session allocates it.
	Prealloc any
}

// TorrentLimits are a torrent's own limits (libtorrent's max_uploads,
// max_connections, upload_limit, download_limit); <= 0 means none.
type TorrentLimits struct {
	MaxUploads, MaxConnections int
	UploadLimit, DownloadLimit int
}

// AddTorrentReply answers AddTorrent.
type AddTorrentReply struct {
	InfoHash InfoHash
	Err      error
}

// FindTorrent looks a torrent up; reply FindTorrentReply.
type FindTorrent struct {
	InfoHash InfoHash
}

// FindTorrentReply answers FindTorrent; PID is nil when unknown.
type FindTorrentReply struct {
	PID *actor.PID
}

// GetTorrents lists the torrents; reply GetTorrentsReply.
type GetTorrents struct{}

// GetTorrentsReply answers GetTorrents (in the order they were added).
type GetTorrentsReply struct {
	InfoHashes []InfoHash
}

// RemoveTorrentRequest removes a torrent; reply RemoveTorrentReply once the
// torrent is out of the registry (file deletion finishes later, reported by
// alert).
type RemoveTorrentRequest struct {
	InfoHash    InfoHash
	DeleteFiles bool
}

// RemoveTorrentReply answers RemoveTorrentRequest.
type RemoveTorrentReply struct {
	Err error
}

// ToTorrent forwards Msg to the torrent with InfoHash, keeping the sender so
// the torrent answers the caller directly. Unknown torrents get a
// TorrentNotFound reply.
type ToTorrent struct {
	InfoHash InfoHash
	Msg      any
	// NeedsReply marks requests the torrent answers; for the others the
	// session answers Ack once the message is on its way.
	NeedsReply bool
}

// TorrentNotFound answers a ToTorrent for an unknown torrent.
type TorrentNotFound struct {
	InfoHash InfoHash
}

// Ack is a generic empty reply.
type Ack struct {
	Err error
}

// GetSessionStatus asks for session-wide counters; reply *SessionStatus.
type GetSessionStatus struct{}

// TorrentStatsUpdate: a torrent's per-second counters for the session.
type TorrentStatsUpdate struct {
	InfoHash                               InfoHash
	Download, Upload                       int64
	PayloadDownload, PayloadUpload         int64
	FailedBytes, RedundantBytes            int64
	DownloadRate, UploadRate               int
	PayloadDownloadRate, PayloadUploadRate int
	NumPeers                               int
	NumUnchoked                            int // peers we unchoke
	PeerlistSize                           int // list_peers
	// TrackerUpload and TrackerDownload are tracker protocol bytes.
	TrackerUpload, TrackerDownload int64
	// What the auto-manage queue reads: the state, whether the torrent
	// is in error, its all-time payload totals and wanted size, its
	// active and finished time, and the swarm's seeds and leechers as its
	// trackers last said (-1: unknown).
	State                          TorrentState
	Errored                        bool
	AllTimeDownload, AllTimeUpload int64
	TotalWanted                    int64
	ActiveTime, FinishedTime       time.Duration
	NumComplete, NumIncomplete     int
}

// TorrentStopped: a torrent actor finished its removal.
type TorrentStopped struct {
	InfoHash InfoHash
}

// CloseSession stops listening, stops every torrent and flushes the disk;
// reply Ack.
type CloseSession struct{}

// ListenAddrs asks where the session listens; reply ListenAddrsReply.
type ListenAddrs struct{}

// ListenAddrsReply answers ListenAddrs.
type ListenAddrsReply struct {
	Addrs []string
}

// IncomingConnection is a connection whose handshake the session's accept
// loop has read; the session routes it by info-hash.
type IncomingConnection struct {
	Conn      net.Conn
	Handshake wire.Handshake
	// UTP: accepted on the uTP socket, not the TCP listener.
	UTP bool
}
