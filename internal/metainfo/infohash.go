package metainfo

import (
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// InfoHash is the v1 (SHA-1) info-hash identifying a torrent.
type InfoHash [20]byte

// ErrInvalidInfoHash is returned by ParseInfoHash for malformed input.
var ErrInvalidInfoHash = errors.New("metainfo: invalid info-hash")

// String returns the hash as 40 lowercase hex characters.
func (h InfoHash) String() string { return hex.EncodeToString(h[:]) }

// Bytes returns a copy of the hash's 20 bytes.
func (h InfoHash) Bytes() []byte { return append([]byte(nil), h[:]...) }

// ParseInfoHash parses 40 hex characters (either case). For the benefit of
// magnet links it also accepts the 32-character base32 form of BEP 9.
func ParseInfoHash(s string) (InfoHash, error) {
	var h InfoHash
	switch len(s) {
	case 40:
		if _, err := hex.Decode(h[:], []byte(s)); err != nil {
			return InfoHash{}, fmt.Errorf("%w: %q is not hex", ErrInvalidInfoHash, s)
		}
	case 32:
		b, err := base32.StdEncoding.DecodeString(strings.ToUpper(s))
		if err != nil || len(b) != 20 {
			return InfoHash{}, fmt.Errorf("%w: %q is not base32", ErrInvalidInfoHash, s)
		}
		copy(h[:], b)
	default:
		return InfoHash{}, fmt.Errorf("%w: length %d, want 40 hex characters", ErrInvalidInfoHash, len(s))
	}
	return h, nil
}
