package metadata

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// Limits on a peer's extension handshake. Real ones are a few hundred
// bytes; these only stop a hostile peer from making us walk or keep much.
const (
	// MaxHandshakeLen is the longest handshake payload accepted.
	MaxHandshakeLen = 64 << 10
	// MaxExtensions is how many "m" entries are kept; later ones are
	// ignored.
	MaxExtensions = 128
	// maxExtNameLen bounds an extension name; longer ones are ignored.
	maxExtNameLen = 64
	// MaxClientLen bounds "v"; longer client names are truncated.
	MaxClientLen = 256
	// MaxReqq caps "reqq" (libtorrent accepts any positive value and
	// clamps its own queue; we keep the number sane for the pipeline).
	MaxReqq = 1 << 16
)

// ExtHandshake is the BEP 10 extension handshake (extended message id 0).
// Zero values mean "absent".
type ExtHandshake struct {
	// M maps extension names to the message id the sender wants to
	// receive them with. An id of 0 means the sender disables it (in a
	// handshake sent again mid-connection).
	M map[string]uint8
	// MetadataSize is BEP 9's metadata_size: the info dictionary's length
	// in bytes, or 0 if the sender does not have it.
	MetadataSize int64
	// V is the client name and version, at most MaxClientLen bytes.
	V string
	// P is the sender's TCP listen port.
	P uint16
	// Reqq is how many outstanding requests the sender accepts (1..MaxReqq).
	Reqq int
	// YourIP is our address as the sender sees it.
	YourIP netip.Addr
	// UploadOnly is BEP 21's upload_only: the sender downloads nothing
	// (a seed, or a torrent in upload mode).
	UploadOnly bool
	// ShareMode is libtorrent's share_mode: the sender's torrent is in
	// share mode (it downloads only what it expects to upload).
	ShareMode bool
}

// handshakeLimits bound the pre-scan: a handshake is a shallow dict.
var handshakeLimits = bencodex.Limits{
	MaxDepth:      8,
	MaxStringLen:  MaxHandshakeLen,
	MaxItems:      4 * MaxExtensions,
	MaxSize:       MaxHandshakeLen,
	AllowTrailing: true, // as libtorrent: the first value is the handshake
}

// ParseExtHandshake decodes a handshake payload. Keys of the wrong type or
// out of range are ignored rather than failing the handshake, as libtorrent
// does, because clients disagree on small details; only a payload that is
// not a bencoded dictionary is an error.
func ParseExtHandshake(payload []byte) (ExtHandshake, error) {
	var h ExtHandshake
	if len(payload) > MaxHandshakeLen {
		return h, fmt.Errorf("%w: extension handshake of %d bytes", ErrTooLarge, len(payload))
	}
	end, err := bencodex.Scan(payload, handshakeLimits)
	if err != nil {
		return h, fmt.Errorf("%w: extension handshake: %w", ErrMalformed, err)
	}
	seen := map[string]bool{}
	isDict, err := bencodex.DictEach(payload[:end], func(key string, raw []byte) (bool, error) {
		if seen[key] { // first occurrence wins, as in bencodex.DictValue
			return true, nil
		}
		seen[key] = true
		h.setField(key, raw)
		return true, nil
	})
	if err != nil || !isDict {
		return ExtHandshake{}, fmt.Errorf("%w: extension handshake is not a dictionary", ErrMalformed)
	}
	return h, nil
}

func (h *ExtHandshake) setField(key string, raw []byte) {
	switch key {
	case "m":
		h.M = parseExtMap(raw)
	case "metadata_size":
		if n, ok := bencodex.Int(raw); ok && n > 0 {
			h.MetadataSize = n
		}
	case "v":
		if s, ok := bencodex.String(raw); ok {
			h.V = string(s[:min(len(s), MaxClientLen)])
		}
	case "p":
		if n, ok := bencodex.Int(raw); ok && n > 0 && n <= 65535 {
			h.P = uint16(n)
		}
	case "reqq":
		if n, ok := bencodex.Int(raw); ok && n > 0 {
			h.Reqq = int(min(n, MaxReqq))
		}
	case "upload_only":
		if n, ok := bencodex.Int(raw); ok {
			h.UploadOnly = n != 0
		}
	case "share_mode":
		if n, ok := bencodex.Int(raw); ok {
			h.ShareMode = n != 0
		}
	case "yourip":
		if s, ok := bencodex.String(raw); ok {
			if a, ok := netip.AddrFromSlice(s); ok {
				h.YourIP = a.Unmap()
			}
		}
	}
}

// parseExtMap keeps valid name → id entries (ids 0..255).
func parseExtMap(raw []byte) map[string]uint8 {
	m := map[string]uint8{}
	_, _ = bencodex.DictEach(raw, func(name string, v []byte) (bool, error) {
		if len(m) >= MaxExtensions {
			return false, nil
		}
		if _, dup := m[name]; dup || name == "" || len(name) > maxExtNameLen {
			return true, nil
		}
		if id, ok := bencodex.Int(v); ok && id >= 0 && id <= 255 {
			m[name] = uint8(id)
		}
		return true, nil
	})
	return m
}

// ID returns the id the peer wants for extension name, and whether it
// supports it at all (present with a non-zero id).
func (h ExtHandshake) ID(name string) (uint8, bool) {
	id, ok := h.M[name]
	return id, ok && id != 0
}

// AppendExtHandshake appends the bencoded handshake to dst. "m" is always
// written (BEP 10 requires it); other keys only when set.
func AppendExtHandshake(dst []byte, h ExtHandshake) []byte {
	// Keys in sorted order, as bencode requires: m, metadata_size, p,
	// reqq, share_mode, upload_only, v, yourip. Written by hand: it is tiny and on
	// every connection.
	dst = append(dst, 'd')
	dst = appendStr(dst, "m")
	dst = append(dst, 'd')
	for _, name := range sortedKeys(h.M) {
		dst = appendStr(dst, name)
		dst = appendInt(dst, int64(h.M[name]))
	}
	dst = append(dst, 'e')
	if h.MetadataSize > 0 {
		dst = appendStr(dst, "metadata_size")
		dst = appendInt(dst, h.MetadataSize)
	}
	if h.P != 0 {
		dst = appendStr(dst, "p")
		dst = appendInt(dst, int64(h.P))
	}
	if h.Reqq > 0 {
		dst = appendStr(dst, "reqq")
		dst = appendInt(dst, int64(h.Reqq))
	}
	if h.ShareMode {
		dst = appendStr(dst, "share_mode")
		dst = appendInt(dst, 1)
	}
	if h.UploadOnly {
		dst = appendStr(dst, "upload_only")
		dst = appendInt(dst, 1)
	}
	if h.V != "" {
		dst = appendStr(dst, "v")
		dst = appendStr(dst, h.V)
	}
	if h.YourIP.IsValid() {
		ip := h.YourIP.Unmap()
		dst = appendStr(dst, "yourip")
		if ip.Is4() {
			b := ip.As4()
			dst = appendStr(dst, string(b[:]))
		} else {
			b := ip.As16()
			dst = appendStr(dst, string(b[:]))
		}
	}
	return append(dst, 'e')
}

func appendStr(dst []byte, s string) []byte {
	dst = strconv.AppendInt(dst, int64(len(s)), 10)
	dst = append(dst, ':')
	return append(dst, s...)
}

func appendInt(dst []byte, n int64) []byte {
	dst = append(dst, 'i')
	dst = strconv.AppendInt(dst, n, 10)
	return append(dst, 'e')
}

func sortedKeys(m map[string]uint8) []string {
	return slices.Sorted(maps.Keys(m))
}
