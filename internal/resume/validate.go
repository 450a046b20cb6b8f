package resume

import (
	"crypto/sha1"
	"fmt"
	"strings"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// FileState is what is on disk for one file of the torrent.
type FileState struct {
	Exists bool
	Size   int64
	MTime  int64 // posix seconds
	// MTimeNano is the mtime in nanoseconds since the epoch (0 unknown).
	MTimeNano int64
}

// Verdict says which pieces the resume data may be trusted for.
type Verdict struct {
	Have []bool // trusted: had without reading
	// Verify are pieces claimed by the resume data but to be hashed before
	// being trusted; when the resume data has no "pieces" at all, they are
	// the pieces whose files are on disk (see Validate).
	Verify []bool
	Reason string // why some pieces must be verified ("" when all trusted); human-readable, names the file
	// Problems are the files that sent pieces to Verify, one entry a file,
	// each wrapping ErrMismatchingFileSize or ErrMismatchingFileTimestamp
	// (the codes fastresume_rejected_alert would carry in libtorrent).
	Problems []FileProblem
	// Unfinished are the resume data's partial pieces worth resuming:
	// pieces not claimed whole, whose files hold the finished blocks, with
	// Blocks trimmed to the piece's block count and at least one set.
	Unfinished []UnfinishedPiece
	// SeedMode: the resume data asked for seed mode and it survives. As
	// in libtorrent, it is dropped when the data shows a missing piece, a
	// piece or file priority 0, or unfinished pieces, and here also when
	// any piece must be verified.
	SeedMode bool
}

// FileProblem is one file whose claimed pieces cannot be trusted.
type FileProblem struct {
	File int   // index in info.Files
	Err  error // names the file
}

// The mtime window of libtorrent 1.0: a file may look up to 1 s older
// (coarse timestamps) or 5 min newer (writes still flushing when the resume
// data was saved) than recorded.
const (
	mtimeSlackBefore = 1
	mtimeSlackAfter  = 5 * 60
)

// Validate checks d against the torrent and the files on disk (one FileState
// per file of info, pad files included).
//
// A non-nil error means the resume data is rejected as a whole (the caller
// then does a full check and posts fastresume_rejected): wrong info-hash,
// "pieces" of the wrong length, "file sizes" of the wrong length, unfinished
// entries outside the torrent... (ErrInvalidArgument means the caller's
// arguments are inconsistent, not the resume data.)
//
// Otherwise every claimed piece ends in Have or Verify, never dropped: a
// claimed piece is trusted only if every non-pad file it overlaps exists, is
// long enough for the bytes of every claimed piece in it, and, when
// FileSizes is set, has the recorded size and an mtime within the window
// (unless the recorded mtime is 0). One failing file sends all claimed pieces
// overlapping it to Verify; pieces of other files stay trusted. Seed mode
// claims every piece and passes the same checks.
//
// Without "pieces" (nil Pieces, no seed mode) nothing is claimed, which is
// how 2.0.8 reads it (empty have_pieces). 2.0.8 then runs a full check if
// any file exists; likewise every piece with bytes in an existing file is
// put in Verify, so progress on disk is found again rather than silently
// reset to 0%. Unfinished pieces without "pieces" are ErrMissingPieces.
func Validate(d *Data, infoHash [20]byte, info *metainfo.Info, disk []FileState) (Verdict, error) {
	if err := checkArgs(d, info, disk); err != nil {
		return Verdict{}, err
	}
	if err := checkWhole(d, infoHash, info); err != nil {
		return Verdict{}, err
	}
	v := &validation{d: d, info: info, disk: disk, bad: make([]bool, len(info.Files))}
	np := info.NumPieces()
	v.claimed = make([]bool, np)
	seed := d.seedModeHolds()
	for p := range np {
		v.claimed[p] = seed || (d.Pieces != nil && d.Pieces[p]&1 != 0)
	}
	out := Verdict{Have: make([]bool, np), Verify: make([]bool, np)}
	if d.Pieces == nil && !seed {
		out.Reason = v.verifyOnDisk(out.Verify)
		return out, nil
	}
	v.findBadFiles(&out)
	copy(out.Have, v.claimed)
	anyVerify := false
	for k, f := range info.Files {
		if !v.bad[k] {
			continue
		}
		first, last := v.pieceRange(f)
		for p := first; p <= last; p++ {
			if v.claimed[p] {
				out.Have[p], out.Verify[p] = false, true
				anyVerify = true
			}
		}
	}
	out.SeedMode = seed && !anyVerify
	out.Unfinished = v.unfinished()
	msgs := make([]string, len(out.Problems))
	for i, pr := range out.Problems {
		msgs[i] = strings.TrimPrefix(pr.Err.Error(), "resume: ")
	}
	out.Reason = joinCapped(msgs)
	return out, nil
}

// checkArgs refuses inputs no resume file is to blame for.
func checkArgs(d *Data, info *metainfo.Info, disk []FileState) error {
	switch {
	case d == nil || info == nil:
		return fmt.Errorf("%w: nil resume data or info", ErrInvalidArgument)
	case len(disk) != len(info.Files):
		return fmt.Errorf("%w: %d file states for %d files", ErrInvalidArgument, len(disk), len(info.Files))
	case info.PieceLength <= 0 || info.TotalLength < 0 ||
		int64(info.NumPieces()) != (info.TotalLength+info.PieceLength-1)/info.PieceLength:
		return fmt.Errorf("%w: inconsistent piece geometry", ErrInvalidArgument)
	}
	for k, f := range info.Files {
		if f.Length < 0 || f.Offset < 0 || f.Offset+f.Length > info.TotalLength {
			return fmt.Errorf("%w: file %d lies outside the torrent", ErrInvalidArgument, k)
		}
	}
	return nil
}

// checkWhole applies the rules that reject the resume data as a whole.
func checkWhole(d *Data, infoHash [20]byte, info *metainfo.Info) error {
	np, nf := info.NumPieces(), len(info.Files)
	switch {
	case d.InfoHash != infoHash:
		return fmt.Errorf("%w: resume data is for %x, torrent is %x", ErrMismatchingInfoHash, d.InfoHash, infoHash)
	case d.Info != nil && sha1.Sum(d.Info) != infoHash:
		return fmt.Errorf("%w: the resume data's info dict is another torrent's", ErrMismatchingInfoHash)
	case d.Pieces != nil && len(d.Pieces) != np:
		return fmt.Errorf("%w: %d entries in \"pieces\" for %d pieces", ErrMissingPieces, len(d.Pieces), np)
	case d.Pieces == nil && len(d.Unfinished) > 0:
		return fmt.Errorf("%w: unfinished pieces but no \"pieces\"", ErrMissingPieces)
	case d.FileSizes != nil && len(d.FileSizes) != nf:
		return fmt.Errorf("%w: %d entries in \"file sizes\" for %d files", ErrMismatchingNumberOfFiles, len(d.FileSizes), nf)
	case len(d.FilePriority) > nf:
		return fmt.Errorf("%w: %d entries in \"file_priority\" for %d files", ErrMismatchingNumberOfFiles, len(d.FilePriority), nf)
	case len(d.MappedFiles) > nf:
		return fmt.Errorf("%w: %d entries in \"mapped_files\" for %d files", ErrMismatchingNumberOfFiles, len(d.MappedFiles), nf)
	case d.PiecePriority != nil && len(d.PiecePriority) != np:
		return malformed("piece_priority", "%d entries for %d pieces", len(d.PiecePriority), np)
	}
	if err := checkUnfinished(d.Unfinished); err != nil {
		return malformed("unfinished", "%v", err)
	}
	for _, u := range d.Unfinished {
		if u.Piece >= np {
			return malformed("unfinished", "piece %d of %d", u.Piece, np)
		}
		n := blocksIn(info, u.Piece)
		if (len(u.Blocks)+7)/8 != (n+7)/8 {
			return malformed("unfinished", "piece %d: %d-byte bitmask for %d blocks", u.Piece, (len(u.Blocks)+7)/8, n)
		}
		for _, done := range u.Blocks[min(n, len(u.Blocks)):] {
			if done {
				return malformed("unfinished", "piece %d: block beyond its %d blocks", u.Piece, n)
			}
		}
	}
	return nil
}

// blocksIn is the number of blocks of piece p.
func blocksIn(info *metainfo.Info, p int) int {
	return int((info.PieceSize(p) + BlockSize - 1) / BlockSize)
}

// seedModeHolds: seed mode requested and not contradicted by the data
// (libtorrent 1.0's rules, plus 2.0.8's file priority 0).
func (d *Data) seedModeHolds() bool {
	if !d.SeedMode || len(d.Unfinished) > 0 {
		return false
	}
	for _, c := range d.Pieces {
		if c&1 == 0 {
			return false
		}
	}
	for _, p := range d.PiecePriority {
		if p == 0 {
			return false
		}
	}
	for _, p := range d.FilePriority {
		if p == 0 {
			return false
		}
	}
	return true
}

// joinCapped joins reasons, naming at most five.
func joinCapped(msgs []string) string {
	const show = 5
	if len(msgs) > show {
		return strings.Join(msgs[:show], "; ") + fmt.Sprintf("; and %d more files", len(msgs)-show)
	}
	return strings.Join(msgs, "; ")
}
