package resume

import (
	"math"

	"github.com/actorrent/actorrent/internal/bencodex"
	"github.com/actorrent/actorrent/internal/metainfo"
)

// MaxFileSize bounds a resume file. The info dict may be inside, so it is the
// same bound as a .torrent file's.
const MaxFileSize = metainfo.MaxTorrentFileSize

// Bounds on the lists of a resume file. They are far above anything
// libtorrent writes and exist so that a hostile file cannot make Decode build
// hundreds of megabytes of Go values from 64 MiB of input. Exceeding one is
// ErrMalformed.
const (
	maxTiers        = 1025    // 2.0.8 clamps tier numbers to 0..1024
	maxURLs         = 1 << 16 // trackers (all tiers together), url-list, httpseeds
	maxPeers        = 1 << 16 // per key; libtorrent keeps a few thousand at most
	maxFiles        = metainfo.MaxFiles
	maxUnfinished   = 1 << 18
	maxBitmaskBytes = metainfo.MaxPieceLength / BlockSize / 8 // one piece of the largest size
	maxBitmaskTotal = 2 << 20                                 // all bitmasks together: 16 Mi blocks
)

// Value ranges. Counts that libtorrent keeps in a C int must fit in int32 (so
// they also fit Go's int everywhere); scrape counts are 24-bit on the wire.
const (
	unknownCount = 0xffffff // "unknown" scrape count on the wire
	maxInt32     = math.MaxInt32
	minInt32     = math.MinInt32
	maxPriority  = 7 // libtorrent's top_priority
)

// decodeLimits are the bencodex limits for a whole resume file. Trailing
// bytes are accepted, as libtorrent's bdecode does: a file rewritten in place
// without truncation still holds one complete dictionary first.
var decodeLimits = bencodex.Limits{
	MaxDepth:      100,
	MaxStringLen:  MaxFileSize,
	MaxItems:      4_000_000,
	MaxSize:       MaxFileSize,
	AllowTrailing: true,
}
