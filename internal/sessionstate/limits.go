package sessionstate

import "github.com/actorrent/actorrent/internal/bencodex"

// MaxSize bounds a state file. Settings and the DHT take a few KiB; an IP
// filter of a large blocklist (a million ranges, 15 bytes each) is what can
// make one big.
const MaxSize = 64 << 20

// Count limits. They are far above what libtorrent writes (some 400
// settings, one node id per listen socket, a routing table of a few thousand
// nodes) and exist so that hostile input cannot make Decode build hundreds of
// megabytes of Go values. Exceeding one is ErrTooLarge.
const (
	maxSettings   = 1 << 14 // "settings" entries, and "extensions" entries
	maxNodeIDs    = 1 << 12
	maxNodes      = 1 << 16 // "nodes" and "nodes6" together
	maxOtherKeys  = 1 << 12 // root and "dht state" keys kept raw
	maxIPRanges   = 1 << 20 // blocklists hold some 400k ranges
	maxIgnored    = 1 << 10 // reports kept; the rest are counted in one entry
	maxIgnoredKey = 200     // bytes of a reported key (keys are untrusted)
)

// decodeLimits are the bencodex limits for a whole state. Trailing bytes and
// non-canonical integers are accepted, as libtorrent's bdecode does.
var decodeLimits = bencodex.Limits{
	MaxDepth:          100,
	MaxStringLen:      MaxSize,
	MaxItems:          4_000_000,
	MaxSize:           MaxSize,
	AllowTrailing:     true,
	AllowNonCanonical: true,
}

// rawLimits check, in Encode, that a raw value is exactly one bencode value.
var rawLimits = bencodex.Limits{
	MaxDepth:          100,
	MaxStringLen:      MaxSize,
	MaxItems:          4_000_000,
	MaxSize:           MaxSize,
	AllowNonCanonical: true,
}
