// Package bencodex wraps github.com/anacrolix/torrent/bencode with a fast,
// allocation-free validating pre-scan so that hostile input (deep nesting,
// huge declared string lengths, millions of tiny values) is rejected before
// any decoder builds Go values from it.
package bencodex

import "errors"

// Limits bounds what Scan accepts. A zero or negative numeric field means
// "use the corresponding DefaultLimits value", so Limits{} is safe to pass.
type Limits struct {
	MaxDepth     int   // nesting depth of lists/dicts (default 100)
	MaxStringLen int64 // longest byte string (default 64 MiB)
	MaxItems     int   // total number of values (default 4_000_000)
	MaxSize      int64 // total input size (default 64 MiB)
	// AllowTrailing accepts bytes after the first complete value (libtorrent
	// accepts trailing bytes after a .torrent's root dict).
	AllowTrailing bool
	// AllowNonCanonical accepts integers with leading zeros or "-0" and
	// string lengths with leading zeros ("i03e", "i-0e", "03:abc"), as
	// libtorrent's bdecode does: v1 .torrent files load with them.
	AllowNonCanonical bool
}

// DefaultLimits are the limits used for .torrent files and peer messages
// unless a caller has a reason to be stricter. AllowTrailing is false.
var DefaultLimits = Limits{
	MaxDepth:     100,
	MaxStringLen: 64 << 20,
	MaxItems:     4_000_000,
	MaxSize:      64 << 20,
}

// Sentinel errors. Every error returned by this package wraps exactly one of
// them (plus, for decoder failures, the underlying anacrolix error).
var (
	// ErrSyntax reports malformed bencode: a bad type prefix, a missing 'e',
	// non-canonical integers ("i03e", "i-0e") or string lengths ("03:")
	// unless Limits.AllowNonCanonical, a non-digit string length, a dict
	// key that is not a string, or truncated input. Unsorted or duplicate
	// dict keys are accepted, as libtorrent does.
	ErrSyntax = errors.New("bencodex: syntax error")
	// ErrTooDeep reports lists/dicts nested deeper than Limits.MaxDepth.
	ErrTooDeep = errors.New("bencodex: nesting too deep")
	// ErrTooLarge reports input longer than Limits.MaxSize.
	ErrTooLarge = errors.New("bencodex: input too large")
	// ErrTooManyItems reports more than Limits.MaxItems values.
	ErrTooManyItems = errors.New("bencodex: too many items")
	// ErrStringTooLong reports a byte string longer than Limits.MaxStringLen.
	ErrStringTooLong = errors.New("bencodex: string too long")
	// ErrTrailing reports bytes after the first value when
	// Limits.AllowTrailing is false.
	ErrTrailing = errors.New("bencodex: trailing data after value")
	// ErrIntOverflow reports an integer that does not fit in an int64.
	ErrIntOverflow = errors.New("bencodex: integer overflows int64")
	// ErrDecode reports input that is valid bencode but cannot be stored in
	// the Go value given to Unmarshal (for example a string into an int).
	ErrDecode = errors.New("bencodex: cannot decode into Go value")
)

// effective returns lim with every unset field replaced by its default.
func (lim Limits) effective() Limits {
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = DefaultLimits.MaxDepth
	}
	if lim.MaxStringLen <= 0 {
		lim.MaxStringLen = DefaultLimits.MaxStringLen
	}
	if lim.MaxItems <= 0 {
		lim.MaxItems = DefaultLimits.MaxItems
	}
	if lim.MaxSize <= 0 {
		lim.MaxSize = DefaultLimits.MaxSize
	}
	return lim
}
