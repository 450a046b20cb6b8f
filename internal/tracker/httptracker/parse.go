package httptracker

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/actorrent/actorrent/internal/bencodex"
	"github.com/actorrent/actorrent/internal/tracker"
)

// parseLimits bound the bencode of a tracker reply. Real replies are
// three levels deep at most (dict, peer list, peer dict); trailing bytes
// (a newline some trackers add) are accepted, as libtorrent does.
var parseLimits = bencodex.Limits{MaxDepth: 16, MaxItems: 1 << 20, AllowTrailing: true}

const (
	// maxPeers caps one reply's peers; the body limit already bounds them
	// (1 MiB is 174k compact peers) but ParseAnnounce also serves callers
	// without one. Trackers send 50 to 200.
	maxPeers = 1 << 16
	// maxText caps the failure reason and warning message kept: they end up
	// in alerts and logs.
	maxText = 1024
	// maxSeconds caps intervals before they become Durations (68 years);
	// tracker.List clamps them to sane bounds.
	maxSeconds = math.MaxInt32
	// maxRetryMinutes caps BEP 31's "retry in" likewise.
	maxRetryMinutes = math.MaxInt32 / 60
)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", tracker.ErrInvalidResponse, fmt.Sprintf(format, args...))
}

// root checks body and returns its top-level dictionary.
func root(body []byte) ([]byte, error) {
	end, err := bencodex.Scan(body, parseLimits)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", tracker.ErrInvalidResponse, err)
	}
	if body[0] != 'd' {
		return nil, invalid("not a dictionary")
	}
	return body[:end], nil
}

// dict calls fn for each key of d; fn says whether it used the key, and a
// used key is not handed to fn again: as in libtorrent, the first of
// duplicate keys wins. Only used keys are remembered, so memory stays
// bounded however many keys a hostile reply has.
func dict(d []byte, fn func(key string, raw []byte) (used bool)) error {
	var seen []string
	_, err := bencodex.DictEach(d, func(k string, v []byte) (bool, error) {
		if !slices.Contains(seen, k) && fn(k, v) {
			seen = append(seen, k)
		}
		return true, nil
	})
	return err
}

// ParseAnnounce parses an announce reply. A "failure reason" makes it
// return a *tracker.FailureError (with BEP 31's "retry in", or else "min
// interval", as its RetryIn); anything that is not a bencoded dictionary is
// tracker.ErrInvalidResponse. Fields of the wrong type are ignored, as are
// peers that are not IP literals with a port in 1..65535, so one bad entry
// does not cost the rest. Intervals are returned as sent (negatives as 0):
// tracker.List clamps them.
func ParseAnnounce(body []byte) (tracker.AnnounceResponse, error) {
	unknown := tracker.AnnounceResponse{Complete: -1, Incomplete: -1, Downloaded: -1}
	resp := unknown
	d, err := root(body)
	if err != nil {
		return unknown, err
	}
	var failure *tracker.FailureError
	var retryIn, minInterval time.Duration
	never := false
	err = dict(d, func(k string, v []byte) bool {
		switch k {
		case "failure reason":
			failure = &tracker.FailureError{Reason: text(v)}
		case "retry in":
			if s, ok := bencodex.String(v); ok && string(s) == "never" {
				never = true
			} else if n, ok := bencodex.Int(v); ok && n > 0 {
				retryIn = time.Duration(min(n, maxRetryMinutes)) * time.Minute
			}
		case "warning message":
			resp.Warning = text(v)
		case "interval":
			resp.Interval = seconds(v)
		case "min interval":
			minInterval = seconds(v)
		case "tracker id":
			s, ok := bencodex.String(v)
			if ok {
				resp.TrackerID = string(s)
			}
			return ok
		case "complete":
			resp.Complete = count(v)
		case "incomplete":
			resp.Incomplete = count(v)
		case "downloaded":
			resp.Downloaded = count(v)
		case "peers":
			resp.Peers = appendPeers(resp.Peers, v, 6)
		case "peers6":
			resp.Peers = appendPeers(resp.Peers, v, 18)
		case "external ip":
			if s, ok := bencodex.String(v); ok {
				if a, ok := netip.AddrFromSlice(s); ok {
					resp.ExternalIP = a.Unmap()
				}
			}
		default:
			return false
		}
		return true
	})
	if err != nil {
		return unknown, fmt.Errorf("%w: %w", tracker.ErrInvalidResponse, err)
	}
	if failure != nil {
		failure.RetryIn, failure.Never = retryIn, never
		if retryIn == 0 {
			failure.RetryIn = minInterval
		}
		return unknown, failure
	}
	resp.MinInterval = minInterval
	return resp, nil
}

// ParseScrape parses a scrape reply (BEP 48) into counts per info-hash.
// Entries whose key is not 20 bytes or whose value is not a dictionary are
// skipped; missing counts are -1. A reply without "files" is
// tracker.ErrInvalidResponse; "failure reason" is a *tracker.FailureError.
func ParseScrape(body []byte) (map[[20]byte]tracker.ScrapeResponse, error) {
	d, err := root(body)
	if err != nil {
		return nil, err
	}
	var failure *tracker.FailureError
	var files []byte
	err = dict(d, func(k string, v []byte) bool {
		switch k {
		case "failure reason":
			failure = &tracker.FailureError{Reason: text(v)}
		case "files":
			files = v
		default:
			return false
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", tracker.ErrInvalidResponse, err)
	}
	if failure != nil {
		return nil, failure
	}
	if len(files) == 0 || files[0] != 'd' {
		return nil, invalid("scrape reply without a files dictionary")
	}
	out := map[[20]byte]tracker.ScrapeResponse{}
	_, err = bencodex.DictEach(files, func(k string, v []byte) (bool, error) {
		if len(k) != 20 || v[0] != 'd' {
			return true, nil
		}
		var h [20]byte
		copy(h[:], k)
		if _, dup := out[h]; dup {
			return true, nil
		}
		r := tracker.UnknownScrape
		err := dict(v, func(k string, v []byte) bool {
			switch k {
			case "complete":
				r.Complete = count(v)
			case "incomplete":
				r.Incomplete = count(v)
			case "downloaded":
				r.Downloaded = count(v)
			default:
				return false
			}
			return true
		})
		out[h] = r
		return true, err
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", tracker.ErrInvalidResponse, err)
	}
	return out, nil
}

// text returns a bencoded string as valid UTF-8 of at most maxText bytes,
// or "" if v is not a string (a failure reason we cannot read is still a
// failure).
func text(v []byte) string {
	s, ok := bencodex.String(v)
	if !ok {
		return ""
	}
	if len(s) > maxText {
		s = s[:maxText] // a rune cut in two becomes U+FFFD below
	}
	return strings.ToValidUTF8(string(s), "\uFFFD")
}

// seconds reads a bencoded integer of seconds; negatives and other types
// are 0 (not sent).
func seconds(v []byte) time.Duration {
	n, ok := bencodex.Int(v)
	if !ok || n <= 0 {
		return 0
	}
	return time.Duration(min(n, maxSeconds)) * time.Second
}

// count reads a bencoded count; negatives and other types are -1 (unknown).
func count(v []byte) int {
	n, ok := bencodex.Int(v)
	if !ok || n < 0 {
		return -1
	}
	return int(min(n, math.MaxInt32))
}

// appendPeers adds the peers of a "peers" (size 6) or "peers6" (size 18)
// value: a compact string (a trailing partial entry is ignored) or a list of
// dictionaries with "ip" and "port".
func appendPeers(peers []netip.AddrPort, v []byte, size int) []netip.AddrPort {
	if s, ok := bencodex.String(v); ok {
		for i := 0; i+size <= len(s) && len(peers) < maxPeers; i += size {
			a, _ := netip.AddrFromSlice(s[i : i+size-2])
			port := uint16(s[i+size-2])<<8 | uint16(s[i+size-1])
			peers = addPeer(peers, a, int(port))
		}
		return peers
	}
	_, _ = bencodex.ListEach(v, func(e []byte) (bool, error) {
		var addr netip.Addr
		port := 0
		_ = dict(e, func(k string, v []byte) bool {
			switch k {
			case "ip":
				if s, ok := bencodex.String(v); ok {
					// IP literals only: resolving a tracker-supplied name
					// would let it point us anywhere and cost a lookup.
					if a, err := netip.ParseAddr(string(s)); err == nil && a.Zone() == "" {
						addr = a
					}
				}
			case "port":
				if n, ok := bencodex.Int(v); ok && n > 0 && n <= math.MaxUint16 {
					port = int(n)
				}
			default:
				return false
			}
			return true
		})
		peers = addPeer(peers, addr, port)
		return len(peers) < maxPeers, nil
	})
	return peers
}

// addPeer appends a peer unless it cannot be connected to.
func addPeer(peers []netip.AddrPort, a netip.Addr, port int) []netip.AddrPort {
	a = a.Unmap()
	if !a.IsValid() || port <= 0 || port > math.MaxUint16 || a.IsUnspecified() || a.IsMulticast() ||
		a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return peers
	}
	return append(peers, netip.AddrPortFrom(a, uint16(port)))
}
