package resume

import (
	"crypto/sha1"
	"errors"
	"net/netip"
	"testing"

	"github.com/actorrent/actorrent/internal/bencodex"
	"github.com/actorrent/actorrent/internal/metainfo"
)

var testHash = [20]byte{'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'}

// del marks a key to delete in resumeFile's overrides.
type del struct{}

// resumeFile is a minimal valid resume file (the two header keys) with keys
// added, replaced or (del{}) removed.
func resumeFile(t testing.TB, over map[string]any) []byte {
	t.Helper()
	m := map[string]any{"file-format": FileFormat, "info-hash": testHash[:]}
	for k, v := range over {
		if _, ok := v.(del); ok {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := bencodex.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fileSpec is one file of a test layout.
type fileSpec struct {
	path   string
	length int64
	pad    bool
}

// layout builds an Info for files with piece length pl (piece hashes are
// zero: Validate never looks at them).
func layout(pl int64, files ...fileSpec) *metainfo.Info {
	info := &metainfo.Info{Name: "t", PieceLength: pl}
	for _, f := range files {
		info.Files = append(info.Files, metainfo.File{Path: f.path, Length: f.length, Offset: info.TotalLength, Pad: f.pad})
		info.TotalLength += f.length
	}
	info.Pieces = make([][20]byte, (info.TotalLength+pl-1)/pl)
	return info
}

// present is the disk state of files all there at their full length, with
// mtime 1000.
func present(info *metainfo.Info) []FileState {
	out := make([]FileState, len(info.Files))
	for k, f := range info.Files {
		out[k] = FileState{Exists: !f.Pad, Size: f.Length, MTime: 1000}
		if f.Pad {
			out[k].Size = 0
		}
	}
	return out
}

// fullData has every field set to something other than its default.
func fullData() *Data {
	info := []byte("d6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces20:01234567890123456789e")
	d := &Data{
		InfoHash: sha1Of(info), Name: "x", LibtorrentVersion: "actorrent-0.1", SavePath: "/downloads",
		Info: info, Comment: "c", CreatedBy: "me", CreationDate: 1700000000,
		Pieces:        []byte{3, 1, 0, 2},
		Unfinished:    []UnfinishedPiece{{Piece: 2, Blocks: []bool{true, false, false, true, false, false, false, false}}},
		FileSizes:     []FileSize{{Size: 5, MTime: 1700000001}, {Size: 0, MTime: 0}},
		FilePriority:  []int{4, 0},
		PiecePriority: []byte{1, 7, 0, 4},
		MappedFiles:   []string{"", "renamed"},
		Trackers:      [][]string{{"http://a/ann", "udp://b:1"}, nil, {"http://c/ann"}},
		URLList:       []string{"http://seed/"},
		HTTPSeeds:     []string{},
		Peers:         []netip.AddrPort{netip.MustParseAddrPort("1.2.3.4:6881"), netip.MustParseAddrPort("[2001:db8::1]:51413")},
		BannedPeers:   []netip.AddrPort{netip.MustParseAddrPort("[::ffff:5.6.7.8]:1")},
		TotalUploaded: 1 << 40, TotalDownloaded: 12345,
		ActiveTime: 100, FinishedTime: 50, SeedingTime: 25,
		AddedTime: 1700000000, CompletedTime: 1700000100,
		LastDownload: 1700000200, LastUpload: 1700000300, LastSeenComplete: 1700000400,
		NumComplete: -1, NumIncomplete: 7, NumDownloaded: 0,
		UploadRateLimit: 1000, DownloadRateLimit: -1, MaxConnections: 16777215, MaxUploads: 4,
		Paused: false, AutoManaged: false, SeedMode: true, SuperSeeding: true, SequentialDownload: true,
		UploadMode: true, ShareMode: true, ApplyIPFilter: false, StopWhenReady: true,
		DisableDHT: true, DisableLSD: true, DisablePEX: true,
		Allocation: AllocationAllocate,
	}
	return d
}

// sentinels are all errors the package promises to wrap.
var sentinels = []error{
	ErrInvalidFileTag, ErrMissingInfoHash, ErrMismatchingInfoHash, ErrMissingPieces,
	ErrMismatchingNumberOfFiles, ErrMismatchingFileSize, ErrMismatchingFileTimestamp,
	ErrPiecesNeedReorder, ErrMalformed, ErrInvalidArgument,
}

func wrapsSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func sha1Of(b []byte) [20]byte { return sha1.Sum(b) }
