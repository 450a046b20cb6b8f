package torrentactor

import (
	"sort"

	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

// fileProgress tracks which files are complete (file_completed alerts). A view of the actor, not a
// part of it: the state stays in the actor (1000 of its size class's 1024 bytes), the type names
// the concern's methods.
type fileProgress struct{ *Actor }

// file_completed: when the last piece of a file is verified, the torrent
// says so (libtorrent's file_completed_alert). Per file it counts the
// pieces it still lacks, from the bitfield when first needed (after a
// check, or when a recheck reset it), so a passed piece costs a look at
// the few files it overlaps.

// fileLeft counts, per file, the pieces it overlaps that are not had; nil
// until first needed. Pad files and empty files are never counted.
type fileLeft []int

// filePieces is the range of pieces file f overlaps (ok false for a pad
// or an empty file).
func (a fileProgress) filePieces(f int) (first, last int, ok bool) {
	fl := a.info.Files[f]
	if fl.Pad || fl.Length == 0 || a.info.PieceLength == 0 {
		return 0, 0, false
	}
	return int(fl.Offset / a.info.PieceLength), int((fl.Offset + fl.Length - 1) / a.info.PieceLength), true
}

// initFileLeft counts what each file lacks now.
func (a fileProgress) initFileLeft() {
	a.filesLeft = make(fileLeft, len(a.info.Files))
	for f := range a.info.Files {
		first, last, ok := a.filePieces(f)
		if !ok {
			continue
		}
		for p := first; p <= last; p++ {
			if !a.have.Has(p) {
				a.filesLeft[f]++
			}
		}
	}
}

// filesPiecePassed counts piece as had (call it before setting its bit)
// and posts file_completed for each file it completes.
func (a fileProgress) filesPiecePassed(ctx actor.Context, piece int) {
	if a.filesLeft == nil {
		a.initFileLeft()
	}
	off := a.info.PieceOffset(piece)
	end := off + a.info.PieceSize(piece)
	files := a.info.Files
	// the first file ending after the piece starts
	f := sort.Search(len(files), func(i int) bool { return files[i].Offset+files[i].Length > off })
	for ; f < len(files) && files[f].Offset < end; f++ {
		if _, _, ok := a.filePieces(f); !ok || a.filesLeft[f] == 0 {
			continue
		}
		a.filesLeft[f]--
		if a.filesLeft[f] == 0 {
			a.post(ctx, &messages.FileCompletedAlert{TorrentAlertHeader: messages.TorrentHeader(a.ih), Index: f})
		}
	}
}
