package metainfo

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/actorrent/actorrent/internal/bencodex"
)

const (
	// MaxPieceLength is the largest accepted "piece length" (512 MiB).
	MaxPieceLength = 512 << 20
	// MaxTotalLength bounds a torrent's total size (2^50 bytes, 1 PiB), as
	// libtorrent's max_file_size does; it keeps all offset arithmetic far
	// from int64 overflow.
	MaxTotalLength = 1 << 50
	// MaxFiles bounds the number of files in a torrent.
	MaxFiles = 1 << 20
)

// ParseInfo parses and validates a bare info dictionary, e.g. metadata
// received from peers (BEP 9). Trailing bytes are an error here.
func ParseInfo(infoBytes []byte) (*Info, error) {
	if _, err := bencodex.Scan(infoBytes, bencodex.DefaultLimits); err != nil {
		return nil, invalid("info dictionary: %v", err)
	}
	d, isDict, err := dictOf(infoBytes)
	if err != nil {
		return nil, invalid("info dictionary: %v", err)
	}
	if !isDict {
		return nil, invalid("info must be a dictionary")
	}
	info := &Info{}

	rawName, ok := bencodex.String(d["name.utf-8"])
	if !ok {
		rawName, ok = bencodex.String(d["name"])
	}
	if !ok || len(rawName) == 0 {
		return nil, invalid("missing or empty name")
	}
	info.Name = sanitizeComponent(string(rawName))
	if info.Name == "" {
		return nil, invalid("name %q is empty after sanitising", rawName)
	}

	pl, ok := bencodex.Int(d["piece length"])
	switch {
	case !ok:
		return nil, invalid("missing or non-integer piece length")
	case pl <= 0 || pl > MaxPieceLength:
		return nil, invalid("piece length %d out of range (1..%d)", pl, MaxPieceLength)
	}
	info.PieceLength = pl

	pieces, ok := bencodex.String(d["pieces"])
	if !ok {
		return nil, invalid("missing or non-string pieces")
	}
	if len(pieces)%20 != 0 {
		return nil, invalid("pieces length %d is not a multiple of 20", len(pieces))
	}

	lengthRaw, hasLength := d["length"]
	filesRaw, hasFiles := d["files"]
	switch {
	case hasLength && hasFiles:
		return nil, invalid("info has both length and files")
	case hasLength:
		n, ok := bencodex.Int(lengthRaw)
		if !ok || n < 0 {
			return nil, invalid("length must be a non-negative integer")
		}
		if n >= MaxTotalLength {
			return nil, invalid("length %d too large (limit %d)", n, int64(MaxTotalLength))
		}
		info.SingleFile = true
		info.Files = []File{{Path: info.Name, PathComponents: []string{info.Name}, Length: n}}
		info.TotalLength = n
	case hasFiles:
		if err := parseFiles(info, filesRaw, MaxFiles); err != nil {
			return nil, err
		}
	default:
		return nil, invalid("info has neither length nor files")
	}
	if info.TotalLength == 0 {
		return nil, invalid("torrent has no data (total length 0)")
	}

	want := (info.TotalLength + pl - 1) / pl
	if got := int64(len(pieces) / 20); got != want {
		return nil, invalid("%d piece hashes for %d bytes in pieces of %d, want %d", got, info.TotalLength, pl, want)
	}
	info.Pieces = make([][20]byte, want)
	for k := range info.Pieces {
		copy(info.Pieces[k][:], pieces[k*20:])
	}
	if p, ok := bencodex.Int(d["private"]); ok && p == 1 {
		info.Private = true
	}
	return info, nil
}

// parseFiles fills info.Files and info.TotalLength from a multi-file "files"
// list of at most maxFiles entries.
func parseFiles(info *Info, raw []byte, maxFiles int) error {
	var total int64
	var ferr error
	isList, err := bencodex.ListEach(raw, func(fraw []byte) (bool, error) {
		if len(info.Files) >= maxFiles {
			ferr = invalid("more than %d files", maxFiles)
			return false, nil
		}
		f, err := parseFile(info.Name, len(info.Files), fraw)
		if err != nil {
			ferr = err
			return false, nil
		}
		if f.Length >= MaxTotalLength-total {
			ferr = invalid("total length exceeds %d", int64(MaxTotalLength))
			return false, nil
		}
		f.Offset = total
		total += f.Length
		info.Files = append(info.Files, f)
		return true, nil
	})
	switch {
	case err != nil:
		return invalid("files: %v", err)
	case !isList:
		return invalid("files must be a list")
	case ferr != nil:
		return ferr
	case len(info.Files) == 0:
		return invalid("files list is empty")
	}
	info.TotalLength = total
	dedupePaths(info.Files)
	return nil
}

// parseFile parses entry index of the "files" list. Offset is set by the
// caller.
func parseFile(name string, index int, raw []byte) (File, error) {
	d, isDict, err := dictOf(raw)
	if err != nil {
		return File{}, invalid("file %d: %v", index, err)
	}
	if !isDict {
		return File{}, invalid("file %d is not a dictionary", index)
	}
	n, ok := bencodex.Int(d["length"])
	if !ok || n < 0 {
		return File{}, invalid("file %d: length must be a non-negative integer", index)
	}
	f := File{Length: n}
	if attr, ok := bencodex.String(d["attr"]); ok {
		for _, c := range attr {
			if c == 'p' {
				f.Pad = true
			}
		}
	}

	elems, ok := stringList(d["path.utf-8"])
	if !ok {
		if pathRaw, present := d["path"]; present {
			if elems, ok = stringList(pathRaw); !ok {
				return File{}, invalid("file %d: path must be a list of strings", index)
			}
		}
	}
	var comps []string
	switch {
	case len(elems) > 0:
		comps = append([]string{name}, sanitizePath(elems)...)
	case f.Pad:
		// Pad files need no path; libtorrent files them under ".pad".
		comps = []string{name, ".pad", strconv.FormatInt(n, 10)}
	default:
		return File{}, invalid("file %d: missing or empty path", index)
	}
	f.PathComponents = comps
	f.Path = filepath.Join(comps...)
	// BitComet marks pad files by name only; libtorrent honours that too.
	if strings.Contains(f.Path, "_____padding_file_") {
		f.Pad = true
	}
	return f, nil
}

// stringList returns the elements of raw if it is a list of strings.
func stringList(raw []byte) ([]string, bool) {
	var out []string
	allStrings := true
	isList, err := bencodex.ListEach(raw, func(e []byte) (bool, error) {
		s, ok := bencodex.String(e)
		if !ok {
			allStrings = false
			return false, nil
		}
		out = append(out, string(s))
		return true, nil
	})
	if err != nil || !isList || !allStrings {
		return nil, false
	}
	return out, true
}
