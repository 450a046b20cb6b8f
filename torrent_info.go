package actorrent

import (
	"github.com/actorrent/actorrent/internal/metainfo"
)

// InfoHash is a torrent's SHA-1 info-hash (libtorrent's sha1_hash).
type InfoHash = metainfo.InfoHash

// ParseInfoHash parses 40 hex characters.
func ParseInfoHash(s string) (InfoHash, error) { return metainfo.ParseInfoHash(s) }

// TorrentInfo is a parsed .torrent file (libtorrent's torrent_info). It is
// immutable and safe to share.
type TorrentInfo struct {
	m *metainfo.MetaInfo
}

// FileEntry is one file of a torrent (libtorrent's file_entry).
type FileEntry struct {
	// Path is relative to the save path, sanitised so it can never leave
	// it; for multi-file torrents it starts with the torrent's name.
	Path   string
	Size   int64
	Offset int64
	// PadFile marks BEP 47 padding: never created, reads as zeros.
	PadFile bool
	// Executable and Hidden are BEP 47's 'x' and 'h' attributes
	// (libtorrent's flag_executable and flag_hidden).
	Executable bool
	Hidden     bool
	// SymlinkPath, when not empty, makes the file a symbolic link
	// (libtorrent's flag_symlink, of size 0) to this path, relative to the
	// save path and inside the torrent (libtorrent's file_storage::symlink).
	SymlinkPath string
}

// LoadTorrentFile reads and parses a .torrent file. Malformed or hostile
// files give an error wrapping ErrInvalidTorrentFile (or
// ErrTorrentFileTooLarge).
func LoadTorrentFile(path string) (*TorrentInfo, error) {
	m, err := metainfo.Load(path)
	if err != nil {
		return nil, err
	}
	return &TorrentInfo{m: m}, nil
}

// ParseTorrent parses the bytes of a .torrent file.
func ParseTorrent(data []byte) (*TorrentInfo, error) {
	m, err := metainfo.Parse(data)
	if err != nil {
		return nil, err
	}
	return &TorrentInfo{m: m}, nil
}

// CreateTorrentOptions set up CreateTorrent (libtorrent's create_torrent).
type CreateTorrentOptions struct {
	// PieceSize in bytes; 0 picks one from the total size.
	PieceSize int64
	// Trackers are announce URLs, one tier each.
	Trackers  []string
	Comment   string
	CreatedBy string
	Private   bool
	// Workers hash in parallel; 0 uses every core.
	Workers int
}

// CreateTorrent hashes a file or a directory into a new torrent.
func CreateTorrent(path string, o CreateTorrentOptions) (*TorrentInfo, error) {
	var tiers [][]string
	for _, t := range o.Trackers {
		tiers = append(tiers, []string{t})
	}
	createdBy := o.CreatedBy
	if createdBy == "" {
		createdBy = "actorrent"
	}
	m, err := metainfo.Create(path, metainfo.CreateOptions{
		PieceLength: o.PieceSize, Trackers: tiers, Comment: o.Comment,
		CreatedBy: createdBy, Private: o.Private, Workers: o.Workers,
	})
	if err != nil {
		return nil, err
	}
	return &TorrentInfo{m: m}, nil
}

// Name is the torrent's (sanitised) name.
func (t *TorrentInfo) Name() string { return t.m.Info.Name }

// InfoHash is the torrent's info-hash.
func (t *TorrentInfo) InfoHash() InfoHash { return t.m.InfoHash }

// NumPieces is the number of pieces.
func (t *TorrentInfo) NumPieces() int { return t.m.Info.NumPieces() }

// PieceLength is the nominal piece size.
func (t *TorrentInfo) PieceLength() int64 { return t.m.Info.PieceLength }

// PieceSize is the size of piece i (the last one may be shorter).
func (t *TorrentInfo) PieceSize(i int) int64 { return t.m.Info.PieceSize(i) }

// TotalSize is the sum of the file sizes.
func (t *TorrentInfo) TotalSize() int64 { return t.m.Info.TotalLength }

// Private reports the private flag (BEP 27).
func (t *TorrentInfo) Private() bool { return t.m.Info.Private }

// Trackers lists the announce URLs by tier.
func (t *TorrentInfo) Trackers() [][]string {
	if len(t.m.AnnounceList) > 0 {
		out := make([][]string, len(t.m.AnnounceList))
		for i, tier := range t.m.AnnounceList {
			out[i] = append([]string(nil), tier...)
		}
		return out
	}
	if t.m.Announce != "" {
		return [][]string{{t.m.Announce}}
	}
	return nil
}

// Files lists the files in torrent order.
func (t *TorrentInfo) Files() []FileEntry {
	out := make([]FileEntry, len(t.m.Info.Files))
	for i, f := range t.m.Info.Files {
		out[i] = FileEntry{Path: f.Path, Size: f.Length, Offset: f.Offset, PadFile: f.Pad,
			Executable: f.Executable, Hidden: f.Hidden, SymlinkPath: f.SymlinkPath}
	}
	return out
}

// Bytes returns the bencoded .torrent file.
func (t *TorrentInfo) Bytes() ([]byte, error) { return t.m.Marshal() }

// MagnetURI returns a magnet link for the torrent.
func (t *TorrentInfo) MagnetURI() string { return t.m.MagnetURI() }
