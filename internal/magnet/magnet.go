// Package magnet parses and formats magnet URIs (BEP 9, with the x.pe peer
// hints of BEP 9 and the select-only "so" list of BEP 53).
//
// Parsing follows libtorrent's parse_magnet_uri: the info-hash is strict (a
// malformed one is an error), everything optional is lenient (a tracker with
// a broken %-escape or an unparsable peer is dropped, unknown parameters are
// ignored), and a ".N" suffix on a parameter name ("tr.1") is stripped.
// Formatting follows make_magnet_uri, so our links look like libtorrent's.
//
// The package is pure: no I/O, no goroutines.
package magnet

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// Limits on untrusted input. A magnet with a hundred trackers is a few KiB;
// these leave ample room while keeping a hostile paste from costing more
// than a bounded amount of memory and time.
const (
	// MaxLength is the longest URI Parse accepts, in bytes.
	MaxLength = 128 << 10
	// MaxParams is the largest number of '&'-separated parameters.
	MaxParams = 1024
	// MaxFileIndex is the largest file index accepted in "so", as in
	// libtorrent (which expands the list into a priority vector).
	MaxFileIndex = 10000
)

// Errors returned by Parse. Each returned error wraps exactly one of them.
var (
	// ErrNotMagnet means the string does not start with "magnet:?".
	ErrNotMagnet = errors.New("magnet: not a magnet URI")
	// ErrNoInfoHash means no xt=urn:btih: or xt=urn:btmh: parameter.
	ErrNoInfoHash = errors.New("magnet: no info-hash (xt=urn:btih:...)")
	// ErrBadInfoHash means the first btih (or btmh) is malformed: not 40 hex
	// or 32 base32 characters (not a 1220-prefixed SHA-256 multihash).
	ErrBadInfoHash = errors.New("magnet: malformed info-hash")
	// ErrTooLong means the URI is longer than MaxLength.
	ErrTooLong = errors.New("magnet: URI too long")
	// ErrTooManyParams means more than MaxParams parameters.
	ErrTooManyParams = errors.New("magnet: too many parameters")
)

// Magnet is a parsed magnet link. The zero value has no info-hash.
type Magnet struct {
	// InfoHash is the v1 (SHA-1) info-hash; meaningful only if HasV1.
	InfoHash metainfo.InfoHash
	HasV1    bool
	// InfoHashV2 is the v2 (SHA-256) info-hash from urn:btmh:1220...;
	// meaningful only if HasV2. It is kept for round trips; the engine
	// does not use it yet.
	InfoHashV2 [32]byte
	HasV2      bool
	// DisplayName is "dn", unescaped (any bytes; not necessarily UTF-8).
	DisplayName string
	// Trackers are the "tr" URLs in the order given, duplicates removed.
	Trackers []string
	// WebSeeds are the "ws" URLs in the order given, duplicates removed.
	WebSeeds []string
	// Peers are the "x.pe" peers as "host:port" (IPv6 literals in
	// brackets), in order, duplicates removed.
	Peers []string
	// SelectOnly is BEP 53's "so": the files to download, as sorted,
	// non-overlapping, non-adjacent inclusive ranges. Empty means all files.
	SelectOnly []FileRange
}

// Parse parses a magnet URI. See the package comment for what is strict and
// what is lenient.
func Parse(uri string) (Magnet, error) {
	if len(uri) > MaxLength {
		return Magnet{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLong, len(uri), MaxLength)
	}
	const prefix = "magnet:?"
	if len(uri) < len(prefix) || !strings.EqualFold(uri[:len(prefix)], prefix) {
		return Magnet{}, ErrNotMagnet
	}
	rest := uri[len(prefix):]
	if n := strings.Count(rest, "&") + 1; n > MaxParams {
		return Magnet{}, fmt.Errorf("%w: %d, limit %d", ErrTooManyParams, n, MaxParams)
	}
	var m Magnet
	var sel selection
	for param := range strings.SplitSeq(rest, "&") {
		name, value, _ := strings.Cut(param, "=")
		switch stripIndex(name) {
		case "xt":
			if err := m.parseXT(value); err != nil {
				return Magnet{}, err
			}
		case "dn":
			if s, err := url.QueryUnescape(value); err == nil {
				m.DisplayName = s
			}
		case "tr":
			m.Trackers = appendUnescaped(m.Trackers, value)
		case "ws":
			m.WebSeeds = appendUnescaped(m.WebSeeds, value)
		case "x.pe":
			if s, err := url.QueryUnescape(value); err == nil {
				if p, ok := normalizePeer(s); ok {
					m.Peers = appendUnique(m.Peers, p)
				}
			}
		case "so":
			if s, err := url.QueryUnescape(value); err == nil {
				sel.add(s)
			}
		}
	}
	if !m.HasV1 && !m.HasV2 {
		return Magnet{}, ErrNoInfoHash
	}
	m.SelectOnly = sel.ranges()
	return m, nil
}

// stripIndex removes a ".N" suffix (N all digits), which some link makers
// add to repeated parameters ("tr.1", "tr.2"); "x.pe" is left alone.
func stripIndex(name string) string {
	base, num, ok := strings.Cut(name, ".")
	if !ok {
		return name
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return name
		}
	}
	return base
}

// parseXT decodes one xt value. Only the first btih and the first btmh are
// looked at; later ones are ignored without validation ("first wins").
func (m *Magnet) parseXT(value string) error {
	v, err := url.QueryUnescape(value)
	if err != nil {
		v = value // a URN has no business being escaped; judge it raw
	}
	urn, hash, ok := cutPrefixFold(v, "urn:btih:")
	if ok && !m.HasV1 {
		ih, err := metainfo.ParseInfoHash(hash)
		if err != nil {
			return fmt.Errorf("%w: %q", ErrBadInfoHash, urn)
		}
		m.InfoHash, m.HasV1 = ih, true
		return nil
	}
	urn, hash, ok = cutPrefixFold(v, "urn:btmh:")
	if ok && !m.HasV2 {
		// A multihash: 0x12 (sha2-256), 0x20 (32 bytes), then the digest.
		digest, isSHA256 := strings.CutPrefix(hash, "1220")
		if !isSHA256 || len(digest) != 64 {
			return fmt.Errorf("%w: %q is not a sha2-256 multihash", ErrBadInfoHash, urn)
		}
		if _, err := hex.Decode(m.InfoHashV2[:], []byte(digest)); err != nil {
			return fmt.Errorf("%w: %q is not hex", ErrBadInfoHash, urn)
		}
		m.HasV2 = true
	}
	return nil
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case; it also returns
// the whole input for error messages.
func cutPrefixFold(s, prefix string) (whole, rest string, ok bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, "", false
	}
	return s, s[len(prefix):], true
}

// appendUnescaped unescapes value and appends it unless it is empty, badly
// escaped (libtorrent drops such trackers too) or already present.
func appendUnescaped(list []string, value string) []string {
	s, err := url.QueryUnescape(value)
	if err != nil || s == "" {
		return list
	}
	return appendUnique(list, s)
}

func appendUnique(list []string, s string) []string {
	for _, have := range list {
		if have == s {
			return list
		}
	}
	return append(list, s)
}

// PeerAddrs returns the x.pe peers that are IP literals, ready to dial.
// Peers given by host name need a DNS lookup first and are left out.
func (m Magnet) PeerAddrs() []netip.AddrPort {
	var out []netip.AddrPort
	for _, p := range m.Peers {
		if ap, err := netip.ParseAddrPort(p); err == nil {
			out = append(out, ap)
		}
	}
	return out
}
