package metainfo

import (
	"crypto/sha1"
	"encoding/hex"

	"github.com/actorrent/actorrent/internal/bencodex"
)

const (
	// MaxPieceLength is the largest accepted "piece length" (512 MiB).
	MaxPieceLength = 512 << 20
	// MaxTotalLength bounds a torrent's total size (exclusive): 2^48
	// bytes, as libtorrent's file_storage::max_file_offset does; it keeps
	// all offset arithmetic far from int64 overflow.
	MaxTotalLength = 1 << 48
	// MaxFiles bounds the number of files in a torrent.
	MaxFiles = 1 << 20
	// MaxPieces bounds the number of pieces, as libtorrent's
	// load_torrent_limits::max_pieces does by default.
	MaxPieces = 0x200000
)

// ParseInfo parses and validates a bare info dictionary, e.g. metadata
// received from peers (BEP 9). Trailing bytes are an error here. It checks
// what libtorrent's torrent_info::parse_info_section checks, in the same
// order, so a torrent is refused for the same reason in both engines.
func ParseInfo(infoBytes []byte) (*Info, error) {
	info := &Info{}
	if _, err := parseInfo(info, infoBytes); err != nil {
		return nil, err
	}
	return info, nil
}

// parseInfo is ParseInfo into info (a MetaInfo's own, so that Parse makes
// no second copy), also returning a hybrid torrent's v2 file list (nil for
// a v1 torrent) for the checks of its piece layers. On error info holds
// what was read so far.
func parseInfo(info *Info, infoBytes []byte) (*fileTree, error) {
	if _, err := bencodex.Scan(infoBytes, lenientLimits); err != nil {
		return nil, invalid("info dictionary: %v", err)
	}
	var buf [16]dictEntry
	d, isDict, err := dictOf(infoBytes, buf[:0])
	if err != nil {
		return nil, invalid("info dictionary: %v", err)
	}
	if !isDict {
		return nil, invalid("info must be a dictionary")
	}
	version, err := metaVersion(d, infoBytes)
	if err != nil {
		return nil, err
	}

	pl, ok := bencodex.Int(d.get("piece length"))
	switch {
	case !ok:
		return nil, invalid("missing or non-integer piece length")
	case pl <= 0 || pl > MaxPieceLength:
		return nil, invalid("piece length %d out of range (1..%d)", pl, MaxPieceLength)
	case version >= 2 && (pl < 16384 || pl&(pl-1) != 0):
		// BEP 52: "It must be a power of two and at least 16KiB."
		return nil, invalid("piece length %d of a v2 torrent is not a power of two of at least 16 KiB", pl)
	}
	info.PieceLength = pl

	rawName, ok := bencodex.String(d.get("name.utf-8"))
	if !ok {
		rawName, ok = bencodex.String(d.get("name"))
	}
	if !ok {
		return nil, invalid("missing name")
	}
	// A multi-file torrent whose name sanitises to nothing ("..", "/") is
	// named by its info-hash, as in libtorrent; an empty name becomes "_".
	info.Name = sanitizeComponent(string(rawName))
	if info.Name == "" {
		h := sha1.Sum(infoBytes)
		info.Name = hex.EncodeToString(h[:])
	}

	var tree *fileTree
	treeRaw, hasTree := d.lookup("file tree")
	hasTree = hasTree && len(treeRaw) > 0 && treeRaw[0] == 'd'
	filesRaw, hasFiles := d.lookup("files")
	hasFiles = hasFiles && len(filesRaw) > 0 && filesRaw[0] == 'l'
	switch {
	case version >= 2 && !hasTree:
		return nil, invalid("v2 torrent without a file tree")
	case version >= 2:
		if tree, err = parseFileTree(treeRaw, info.Name, hasFiles, pl); err != nil {
			return nil, err
		}
		sanitizeSymlinks(tree.files, tree.name)
	case hasTree:
		return nil, invalid("file tree (a v2 key) in a torrent without meta version 2")
	}

	_, hasLength := d.lookup("length")
	_, hasPieces := d.lookup("pieces")
	switch {
	case hasFiles:
		// "files" wins over "length", as in libtorrent.
		if err := parseFiles(info, filesRaw, MaxFiles); err != nil {
			return nil, err
		}
		sanitizeSymlinks(info.Files, info.Name)
	case version < 2 || hasLength:
		if err := parseSingleFile(info, d); err != nil {
			return nil, err
		}
	}
	if version >= 2 && (len(info.Files) == 0 || !hasPieces) {
		return nil, v2Only()
	}
	if tree != nil {
		// A hybrid: load it as v1 with the v2 list (what libtorrent shows),
		// once both lists agree.
		if err := checkCompatible(info.Files, info.TotalLength, tree); err != nil {
			return nil, err
		}
		info.Files = tree.files
	}
	dedupePaths(info.Files)

	if err := parsePieces(info, d); err != nil {
		return nil, err
	}
	if p, ok := bencodex.Int(d.get("private")); ok && p != 0 {
		info.Private = true
	}
	if info.TotalLength == 0 {
		return nil, invalid("torrent has no data (total length 0)")
	}
	return tree, nil
}

// parseSingleFile reads a single-file torrent: the info dict is the file.
// Unlike a directory's, the file's name may not sanitise to nothing.
func parseSingleFile(info *Info, d dict) error {
	f := fileAttrs(d)
	if err := fileLength(&f, d); err != nil {
		return invalid("%v", err)
	}
	rawName, ok := bencodex.String(d.get("name.utf-8"))
	if !ok {
		rawName, _ = bencodex.String(d.get("name"))
	}
	name := sanitizeComponent(string(rawName))
	if len(rawName) == 0 || name == "" {
		return invalid("missing name (%q sanitises to nothing)", rawName)
	}
	info.Name = name
	// The file and its one path component are one allocation (100k
	// single-file torrents added at once are the case it is for).
	one := &struct {
		file [1]File
		comp [1]string
	}{comp: [1]string{name}}
	f.Path, f.PathComponents = name, one.comp[:]
	markBitCometPad(&f)
	if err := symlinkTarget(&f, d); err != nil {
		return invalid("%v", err)
	}
	info.SingleFile = true
	one.file[0] = f
	info.Files = one.file[:]
	sanitizeSymlinks(info.Files, name)
	info.TotalLength = f.Length
	return nil
}

// parsePieces checks the piece count and reads the v1 piece hashes.
func parsePieces(info *Info, d dict) error {
	want := (info.TotalLength + info.PieceLength - 1) / info.PieceLength
	if want > MaxPieces {
		return invalid("too many pieces in torrent: %d (limit %d)", want, MaxPieces)
	}
	pieces, ok := bencodex.String(d.get("pieces"))
	if !ok {
		return invalid("missing or non-string pieces")
	}
	if got := int64(len(pieces)); got != want*20 {
		return invalid("pieces is %d bytes: %d bytes in pieces of %d need %d piece hashes (%d bytes)",
			got, info.TotalLength, info.PieceLength, want, want*20)
	}
	info.Pieces = make([][20]byte, want)
	for k := range info.Pieces {
		copy(info.Pieces[k][:], pieces[k*20:])
	}
	return nil
}
