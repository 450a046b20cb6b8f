// Package metainfo parses, validates, writes and creates BitTorrent v1
// .torrent files (BEP 3, with BEP 12 announce lists, BEP 19 web seeds and
// BEP 47 file attributes: pad files, symlinks, executable and hidden
// files). Hybrid v1/v2 torrents (BEP 52) load as v1 once their two file
// lists agree; v2-only ones are refused with ErrV2Only. Parsing follows
// libtorrent 2.0.8's rules (the same files, names, flags and errors). Every
// path it hands out, symlink targets included, is sanitised so that it can
// never escape the download directory.
package metainfo

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MetaInfo is a parsed .torrent file.
type MetaInfo struct {
	Info         Info
	InfoHash     InfoHash   // SHA-1 of InfoBytes
	InfoBytes    []byte     // exact bytes of the info dictionary as in the file
	Announce     string     // "announce"
	AnnounceList [][]string // "announce-list" tiers (BEP 12), empty entries removed
	URLList      []string   // BEP 19 "url-list" (string or list in the file)
	Comment      string
	CreatedBy    string
	CreationDate int64 // Unix seconds; 0 if absent
}

var (
	// ErrInvalidTorrent wraps every parse and validation error, with a
	// precise message.
	ErrInvalidTorrent = errors.New("metainfo: invalid torrent")
	// ErrTooLarge is returned for a .torrent file bigger than
	// MaxTorrentFileSize.
	ErrTooLarge = errors.New("metainfo: torrent file too large")
)

// MaxTorrentFileSize bounds the size of a .torrent file we will read.
const MaxTorrentFileSize = 64 << 20

// invalid returns an ErrInvalidTorrent error with a formatted reason.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidTorrent, fmt.Sprintf(format, args...))
}

// Load reads and parses the .torrent file at path. The size is checked
// before reading so a huge file is refused without being loaded.
func Load(path string) (*MetaInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("metainfo: load: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("metainfo: load: %w", err)
	}
	if st.Size() > MaxTorrentFileSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, limit %d", ErrTooLarge, path, st.Size(), MaxTorrentFileSize)
	}
	// The file may grow between Stat and Read; read at most one byte more
	// than allowed so that is detected without unbounded reads.
	data, err := io.ReadAll(io.LimitReader(f, MaxTorrentFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("metainfo: load: %w", err)
	}
	if len(data) > MaxTorrentFileSize {
		return nil, fmt.Errorf("%w: %s grew past %d bytes", ErrTooLarge, path, MaxTorrentFileSize)
	}
	return Parse(data)
}

// kindError is an invalid torrent of a particular kind: errors.Is matches
// both ErrInvalidTorrent and the kind, and the message names the prefix
// once.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string   { return ErrInvalidTorrent.Error() + ": " + e.msg }
func (e *kindError) Unwrap() []error { return []error{ErrInvalidTorrent, e.kind} }

// invalidKind returns an ErrInvalidTorrent error that is also kind.
func invalidKind(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// invalidTooLarge is Parse's error for oversized input: it is both an
// invalid torrent and a too-large one.
func invalidTooLarge(n int) error {
	return fmt.Errorf("%w: %w: %d bytes, limit %d", ErrInvalidTorrent, ErrTooLarge, n, MaxTorrentFileSize)
}
