package resume

import "github.com/actorrent/actorrent/internal/metainfo"

// TouchedPieces returns, per piece, whether a file under it was written
// after the resume data was saved: the file exists but its size or mtime is
// not what d.FileSizes recorded (any other mtime, to the nanosecond when
// both are known; a recorded mtime of 0 counts only the size). Only pieces with bytes in the file on
// disk are marked, pad and empty files never.
//
// Such pieces may have been finished after the save, so a caller that wants
// to find that progress again hashes the unclaimed ones. It only ever adds
// work, never trust. Without FileSizes (2.0.8's files) nothing can be told
// and the result is all false; a mismatched call (nil arguments, wrong
// lengths) is all false too, as Validate reports those as errors.
func TouchedPieces(d *Data, info *metainfo.Info, disk []FileState) []bool {
	if info == nil {
		return nil
	}
	out := make([]bool, info.NumPieces())
	if d == nil || checkArgs(d, info, disk) != nil || len(d.FileSizes) != len(info.Files) {
		return out
	}
	for k, f := range info.Files {
		st, rec := disk[k], d.FileSizes[k]
		if !relevant(f) || !st.Exists || st.Size <= 0 || !writtenSince(st, rec) {
			continue
		}
		first := int(f.Offset / info.PieceLength)
		last := int((f.Offset + min(st.Size, f.Length) - 1) / info.PieceLength)
		for p := first; p <= last; p++ {
			out[p] = true
		}
	}
	return out
}

// writtenSince: the file on disk is not the one rec describes: another size,
// or another mtime (to the nanosecond when both sides have it). Any later
// write counts, unlike Validate's window: a write after the save may have
// finished a piece.
func writtenSince(st FileState, rec FileSize) bool {
	if st.Size != rec.Size {
		return true
	}
	if rec.MTimeNano != 0 && st.MTimeNano != 0 {
		return st.MTimeNano != rec.MTimeNano
	}
	return rec.MTime != 0 && st.MTime != rec.MTime
}

// changed: the file on disk is not the one rec describes, by Validate's
// rule: another size, or an mtime outside the window.
func changed(st FileState, rec FileSize) bool {
	if st.Size != rec.Size {
		return true
	}
	return rec.MTime != 0 && (st.MTime < rec.MTime-mtimeSlackBefore || st.MTime > rec.MTime+mtimeSlackAfter)
}
