package resume

import (
	"errors"
	"fmt"
)

// Sentinel errors, named after libtorrent's error codes. Every error from
// Decode, Encode and Validate wraps one of them.
var (
	// ErrInvalidFileTag: "file-format" is absent or not "libtorrent resume
	// file" (invalid_file_tag).
	ErrInvalidFileTag = errors.New("resume: invalid file tag")
	// ErrMissingInfoHash: no 20-byte "info-hash" (missing_info_hash). A
	// v2-only file (only "info-hash2") is refused too: we are a v1 engine.
	ErrMissingInfoHash = errors.New("resume: missing info-hash")
	// ErrMismatchingInfoHash: the resume data is for another torrent
	// (mismatching_info_hash).
	ErrMismatchingInfoHash = errors.New("resume: mismatching info-hash")
	// ErrMissingPieces: "pieces" has the wrong length for the torrent, or
	// is absent while the file claims partial pieces (missing_pieces).
	ErrMissingPieces = errors.New("resume: missing pieces")
	// ErrMismatchingNumberOfFiles: "file sizes" (or "file_priority",
	// "mapped_files") has more entries than the torrent has files
	// (mismatching_number_of_files).
	ErrMismatchingNumberOfFiles = errors.New("resume: mismatching number of files")
	// ErrMismatchingFileSize: a file is missing, shorter than its claimed
	// pieces need, or not the size "file sizes" recorded
	// (mismatching_file_size). Validate reports it per file in
	// Verdict.Problems; it never rejects the whole file.
	ErrMismatchingFileSize = errors.New("resume: mismatching file size")
	// ErrMismatchingFileTimestamp: a file's mtime is outside the window
	// around the recorded one (mismatching_file_timestamp); per file, like
	// ErrMismatchingFileSize.
	ErrMismatchingFileTimestamp = errors.New("resume: mismatching file timestamp")
	// ErrPiecesNeedReorder: the file is from 1.0's compact allocation mode,
	// where pieces are not at their own offsets on disk, so no claim in it
	// can be trusted (pieces_need_reorder).
	ErrPiecesNeedReorder = errors.New("resume: compact allocation, pieces need reorder")
	// ErrMalformed: invalid bencode (wrapping the bencodex error), a
	// value of the wrong type or out of range (the key is named), or
	// entries inconsistent with the torrent.
	ErrMalformed = errors.New("resume: malformed resume data")
	// ErrInvalidArgument: Validate or Encode was given something no resume
	// file could fix (nil info, a disk list of the wrong length...): a bug
	// in the caller.
	ErrInvalidArgument = errors.New("resume: invalid argument")
)

// malformed is an ErrMalformed error naming key.
func malformed(key, format string, args ...any) error {
	return fmt.Errorf("%w: %q: %s", ErrMalformed, key, fmt.Sprintf(format, args...))
}
