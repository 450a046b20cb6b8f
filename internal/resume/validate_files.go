package resume

import (
	"fmt"

	"github.com/actorrent/actorrent/internal/metainfo"
)

// validation is the state of one Validate call.
type validation struct {
	d       *Data
	info    *metainfo.Info
	disk    []FileState
	claimed []bool // per piece: the resume data says it is had
	bad     []bool // per file: its claimed pieces must be verified
}

// pieceRange is the first and last piece overlapping f (which must not be
// empty).
func (v *validation) pieceRange(f metainfo.File) (first, last int) {
	pl := v.info.PieceLength
	return int(f.Offset / pl), int((f.Offset + f.Length - 1) / pl)
}

// relevant: the file holds bytes of pieces that are on disk. Pad files are
// never on disk, and empty files hold no piece bytes.
func relevant(f metainfo.File) bool { return !f.Pad && f.Length > 0 }

// findBadFiles marks the files whose claimed pieces cannot be trusted and
// records why. A file no claimed piece overlaps is never bad: what is on
// disk for it does not matter.
func (v *validation) findBadFiles(out *Verdict) {
	for k, f := range v.info.Files {
		if !relevant(f) {
			continue
		}
		first, last := v.pieceRange(f)
		p := last
		for p >= first && !v.claimed[p] {
			p--
		}
		if p < first {
			continue
		}
		// The highest claimed piece needs the most of the file.
		end := min(v.info.PieceOffset(p)+v.info.PieceSize(p), f.Offset+f.Length)
		if err := v.fileProblem(k, end-f.Offset); err != nil {
			v.bad[k] = true
			out.Problems = append(out.Problems, FileProblem{File: k, Err: err})
		}
	}
}

// fileProblem says why file k cannot back pieces needing its first need
// bytes, nil if it can.
func (v *validation) fileProblem(k int, need int64) error {
	st, path := v.disk[k], v.info.Files[k].Path
	if !st.Exists {
		return fmt.Errorf("%w: file %q is missing", ErrMismatchingFileSize, path)
	}
	if v.d.FileSizes != nil {
		rec := v.d.FileSizes[k]
		if st.Size != rec.Size {
			return fmt.Errorf("%w: file %q is %d bytes, the resume data recorded %d", ErrMismatchingFileSize, path, st.Size, rec.Size)
		}
		if changed(st, rec) { // the size matches: it is the mtime
			return fmt.Errorf("%w: file %q was modified at %d, the resume data recorded %d", ErrMismatchingFileTimestamp, path, st.MTime, rec.MTime)
		}
	}
	if st.Size < need {
		return fmt.Errorf("%w: file %q is %d bytes, its pieces need %d", ErrMismatchingFileSize, path, st.Size, need)
	}
	return nil
}

// verifyOnDisk marks for verification every piece with bytes in a file that
// exists, for resume data that claims nothing, and returns the Reason.
func (v *validation) verifyOnDisk(verify []bool) string {
	var found []string
	for k, f := range v.info.Files {
		st := v.disk[k]
		if !relevant(f) || !st.Exists || st.Size <= 0 {
			continue
		}
		first, _ := v.pieceRange(f)
		last := int((f.Offset + min(st.Size, f.Length) - 1) / v.info.PieceLength)
		for p := first; p <= last; p++ {
			verify[p] = true
		}
		found = append(found, fmt.Sprintf("%q", f.Path))
	}
	if len(found) == 0 {
		return ""
	}
	return "the resume data has no \"pieces\"; checking the files on disk: " + joinCapped(found)
}

// unfinished returns the partial pieces worth resuming (see Verdict).
func (v *validation) unfinished() []UnfinishedPiece {
	var out []UnfinishedPiece
	for _, u := range v.d.Unfinished {
		if v.claimed[u.Piece] {
			continue // had whole (or being verified whole): nothing partial about it
		}
		n := blocksIn(v.info, u.Piece)
		blocks := make([]bool, n)
		copy(blocks, u.Blocks) // checkWhole: no set block lies past n
		lastDone := -1
		for k, done := range blocks {
			if done {
				lastDone = k
			}
		}
		if lastDone < 0 || !v.blocksOnDisk(u.Piece, lastDone) {
			continue
		}
		out = append(out, UnfinishedPiece{Piece: u.Piece, Blocks: blocks})
	}
	return out
}

// blocksOnDisk: the files under piece p's blocks 0..lastDone are there and
// long enough, and none of them is bad.
func (v *validation) blocksOnDisk(p, lastDone int) bool {
	off := v.info.PieceOffset(p)
	length := min(int64(lastDone+1)*BlockSize, v.info.PieceSize(p))
	for _, s := range v.info.Slices(off, length) {
		f := v.info.Files[s.FileIndex]
		if !relevant(f) {
			continue
		}
		if v.bad[s.FileIndex] || v.fileProblem(s.FileIndex, s.FileOffset+s.Length) != nil {
			return false
		}
	}
	return true
}
