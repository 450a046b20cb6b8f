// Package resume reads, writes and checks libtorrent's fast-resume files: one
// bencoded dictionary per torrent saying which pieces are had, which blocks of
// unfinished pieces are written, and the torrent's settings and statistics.
//
// Encode writes what libtorrent 2.0.8 writes (so 2.0.8 loads it), plus 1.0's
// "file sizes" list, which 2.0.8 ignores and we use to notice files changed
// behind our back. Decode reads both 2.0.8's and 1.0's files. Validate decides,
// from what is on disk, which claimed pieces may be trusted without hashing.
//
// The package is pure: no goroutines, no I/O, no clock. The caller stats the
// files and passes what it found (FileState).
package resume

import "net/netip"

// FileFormat is the required value of "file-format".
const FileFormat = "libtorrent resume file"

// BlockSize is the size of a block of a piece, the unit "unfinished" bitmasks
// count in (libtorrent's default_block_size).
const BlockSize = 16 << 10

// Data is libtorrent's fast-resume dictionary, decoded.
//
// Lists follow one convention so that Decode(Encode(d)) equals d: a list that
// is empty in the file decodes to nil, except Trackers, URLList, HTTPSeeds and
// FileSizes, where nil means "key absent" and a non-nil empty slice means
// "present but empty". The difference matters: a present "trackers" (or
// "url-list"/"httpseeds") replaces the .torrent's list, even when empty,
// while an absent one leaves it alone; an empty "file sizes" is a mismatch
// against any torrent with files.
type Data struct {
	InfoHash [20]byte
	// InfoHash2 is "info-hash2", the v2 (SHA-256) info-hash; all zero for a
	// v1-only torrent, which is what 2.0.8 writes then.
	InfoHash2         [32]byte
	Name              string
	LibtorrentVersion string // set it to the writer's version; a "1.x" value changes how last_download/last_upload are read
	SavePath          string
	// Info is the raw bencoded info dict ("info"), nil if absent. Decode
	// keeps it only if its SHA-1 is InfoHash (and its SHA-256 InfoHash2 when
	// that is set), as 2.0.8 does: a mismatching copy is dropped, not fatal.
	Info []byte
	// Comment, CreatedBy and CreationDate are the .torrent fields 2.0.8
	// stores beside "info" (written when set).
	Comment      string
	CreatedBy    string
	CreationDate int64
	// Pieces is "pieces": one byte a piece, 0x1 have, 0x2 verified (seed
	// mode). nil if absent or empty (2.0.8 treats both alike).
	Pieces     []byte
	Unfinished []UnfinishedPiece
	// FileSizes is 1.0's "file sizes" (we write it too); nil if absent.
	FileSizes     []FileSize
	FilePriority  []int  // 0..7 per file; may be shorter than the file list
	PiecePriority []byte // 0..7 per piece
	// MappedFiles are renamed paths by file index, "" for a file not renamed.
	// They come from the file unchecked: the caller must sanitise them
	// before using them as paths.
	MappedFiles        []string
	Trackers           [][]string // tiers
	URLList, HTTPSeeds []string
	// Peers and BannedPeers come from "peers"+"peers6" and
	// "banned_peers"+"banned_peers6" (compact forms; 1.0's list of
	// {ip, port} dicts is read too). Decode lists IPv4 peers first, then
	// IPv6 ones, in file order, which is also how Encode splits them.
	Peers, BannedPeers                    []netip.AddrPort
	TotalUploaded, TotalDownloaded        int64
	ActiveTime, FinishedTime, SeedingTime int64 // seconds
	AddedTime, CompletedTime              int64 // posix seconds
	// LastDownload, LastUpload and LastSeenComplete are posix seconds (2.0
	// semantics). Writers before 1.2 stored last_download/last_upload as
	// "seconds ago"; Decode zeroes those (0 = unknown) rather than
	// misreading them as dates in 1970.
	LastDownload, LastUpload, LastSeenComplete int64
	// NumComplete, NumIncomplete and NumDownloaded are the cached scrape:
	// -1 = unknown (0xffffff on the wire, and the default when absent).
	NumComplete, NumIncomplete, NumDownloaded int
	// Rate limits and caps as libtorrent stores them: -1 (or 0) means
	// unlimited; 2.0.8 writes 16777215 for unlimited connection caps.
	UploadRateLimit, DownloadRateLimit, MaxConnections, MaxUploads int
	// Flags. When a key is absent Decode applies 2.0.8's defaults: Paused,
	// AutoManaged and ApplyIPFilter set, the rest clear.
	Paused, AutoManaged, SeedMode, SuperSeeding, SequentialDownload bool
	UploadMode, ShareMode, ApplyIPFilter, StopWhenReady             bool
	DisableDHT, DisableLSD, DisablePEX                              bool
	Allocation                                                      string // "sparse" or "allocate"
}

// UnfinishedPiece is one entry of "unfinished".
type UnfinishedPiece struct {
	Piece int
	// Blocks are the finished blocks of the piece. After Decode it has
	// 8 entries per bitmask byte; Validate checks the length against the
	// piece and returns copies trimmed to the piece's block count.
	Blocks []bool
}

// FileSize is one entry of 1.0's "file sizes".
type FileSize struct {
	Size  int64
	MTime int64 // posix seconds, 0 = unknown
	// MTimeNano is the mtime in nanoseconds since the epoch, 0 = unknown:
	// our third entry of the list (1.0 reads the first two). Seconds are
	// too coarse to tell a write just after a save from one just before.
	MTimeNano int64
}

// Allocation modes as stored in "allocation".
const (
	AllocationSparse   = "sparse"
	AllocationAllocate = "allocate"
)
