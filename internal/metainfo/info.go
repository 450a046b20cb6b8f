package metainfo

import "sort"

// File is one file of the torrent, in torrent order.
type File struct {
	// Path is relative to the save path, uses OS separators and is
	// sanitised; for multi-file torrents it starts with the torrent name,
	// for single-file torrents it is just the (sanitised) name.
	Path string
	// PathComponents are the sanitised components making up Path.
	PathComponents []string
	Length         int64
	// Offset is the offset of the file's first byte in the torrent's
	// byte stream.
	Offset int64
	// Pad marks a BEP 47 pad file (attr contains 'p', or a BitComet
	// "_____padding_file_" path); pad files still occupy their range of the
	// byte stream, but are never created and read as zeros.
	Pad bool
	// Executable and Hidden are BEP 47's 'x' and 'h' attributes.
	Executable bool
	Hidden     bool
	// Symlink marks a BEP 47 symbolic link ('l' with a "symlink path"): its
	// Length is 0 and SymlinkPath is its target, relative to the save path
	// like Path (it starts with the torrent's name), always a file or
	// directory of the torrent — an invalid target is replaced by the link's
	// own path, as libtorrent does.
	Symlink     bool
	SymlinkPath string
}

// FileFlags are libtorrent's file_storage::file_flags_t bits (same values).
type FileFlags uint8

// The file flags, as libtorrent's file_storage::flag_*.
const (
	FlagPadFile    FileFlags = 1
	FlagHidden     FileFlags = 2
	FlagExecutable FileFlags = 4
	FlagSymlink    FileFlags = 8
)

// Flags returns f's attributes as libtorrent's file_flags.
func (f *File) Flags() FileFlags {
	var fl FileFlags
	for _, b := range []struct {
		set  bool
		flag FileFlags
	}{{f.Pad, FlagPadFile}, {f.Hidden, FlagHidden}, {f.Executable, FlagExecutable}, {f.Symlink, FlagSymlink}} {
		if b.set {
			fl |= b.flag
		}
	}
	return fl
}

// Info is a parsed and validated v1 info dictionary.
type Info struct {
	Name        string // sanitised name
	PieceLength int64
	Pieces      [][20]byte
	Files       []File
	TotalLength int64
	Private     bool
	SingleFile  bool // the info dict had "length" instead of "files"
}

// NumPieces returns the number of pieces.
func (i *Info) NumPieces() int { return len(i.Pieces) }

// PieceSize returns the length of piece index: PieceLength for all but the
// last piece, which may be shorter; 0 if index is out of range.
func (i *Info) PieceSize(index int) int64 {
	if index < 0 || index >= len(i.Pieces) {
		return 0
	}
	off := int64(index) * i.PieceLength
	return min(i.PieceLength, i.TotalLength-off)
}

// PieceOffset returns the offset of piece index in the torrent's byte
// stream; 0 if index is out of range.
func (i *Info) PieceOffset(index int) int64 {
	if index < 0 || index >= len(i.Pieces) {
		return 0
	}
	return int64(index) * i.PieceLength
}

// FileSlice is a part of one file.
type FileSlice struct {
	FileIndex  int
	FileOffset int64
	Length     int64
}

// Slices maps the range [offset, offset+length) of the torrent's byte stream
// to file slices, in order, skipping nothing (pad files included).
// Zero-length files yield no slices. The range is clipped to the torrent;
// a range entirely outside it yields nil.
func (i *Info) Slices(offset, length int64) []FileSlice {
	if offset < 0 || length <= 0 || offset >= i.TotalLength {
		return nil
	}
	end := i.TotalLength
	if length < end-offset {
		end = offset + length
	}
	// First file whose range ends past offset; files are in offset order.
	k := sort.Search(len(i.Files), func(k int) bool {
		f := &i.Files[k]
		return f.Offset+f.Length > offset
	})
	var out []FileSlice
	for ; k < len(i.Files) && offset < end; k++ {
		f := &i.Files[k]
		if f.Length == 0 {
			continue
		}
		n := min(f.Offset+f.Length, end) - offset
		out = append(out, FileSlice{FileIndex: k, FileOffset: offset - f.Offset, Length: n})
		offset += n
	}
	return out
}
