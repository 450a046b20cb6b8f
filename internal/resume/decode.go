package resume

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// Decode parses and checks a resume file.
//
// The header is checked in libtorrent's order: a dictionary, then
// "file-format", then a 20-byte "info-hash". Every known key must then have
// its type and range (a wrong one is ErrMalformed naming the key: 2.0.8
// silently ignores such values, but a file with them was not written by
// libtorrent, and a partial reading of it is not worth trusting). Unknown keys,
// and keys of 1.0 or 2.0.8 we have no use for ("trees", "blocks per piece",
// "announce_to_*", "url"...), are ignored. If a key occurs twice the first
// one wins, as in libtorrent's bdecode.
//
// Whether the pieces fit the torrent is Validate's business, not Decode's.
func Decode(b []byte) (*Data, error) {
	end, err := bencodex.Scan(b, decodeLimits)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	m := make(map[string][]byte)
	isDict, err := bencodex.DictEach(b[:end], func(k string, v []byte) (bool, error) {
		if _, dup := m[k]; !dup {
			m[k] = v
		}
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if !isDict {
		return nil, fmt.Errorf("%w: not a dictionary", ErrMalformed)
	}
	if s, ok := bencodex.String(m["file-format"]); !ok || string(s) != FileFormat {
		return nil, fmt.Errorf("%w: file-format is %.40q", ErrInvalidFileTag, s)
	}
	ih, ok := bencodex.String(m["info-hash"])
	if !ok || len(ih) != len(Data{}.InfoHash) {
		return nil, fmt.Errorf("%w: no 20-byte \"info-hash\"", ErrMissingInfoHash)
	}

	d := &Data{}
	copy(d.InfoHash[:], ih)
	r := &reader{m: m}
	if raw, ok := m["info-hash2"]; ok {
		s, ok := bencodex.String(raw)
		if !ok || len(s) != len(d.InfoHash2) {
			r.fail(malformed("info-hash2", "not a 32-byte string"))
		}
		copy(d.InfoHash2[:], s)
	}
	r.readStrings(d)
	r.readNumbers(d)
	r.readFlags(d)
	d.Allocation = r.allocation()
	d.Info = r.info(d)
	d.Pieces = r.byteString("pieces", 0xff)
	d.PiecePriority = r.byteString("piece_priority", maxPriority)
	d.FilePriority = r.priorities("file_priority")
	d.MappedFiles = r.stringList("mapped_files", maxFiles, false)
	d.URLList = r.stringList("url-list", maxURLs, true)
	d.HTTPSeeds = r.stringList("httpseeds", maxURLs, true)
	d.Trackers = r.trackers()
	d.FileSizes = r.fileSizes()
	d.Unfinished = r.unfinished()
	d.Peers = r.peers("peers", "peers6")
	d.BannedPeers = r.peers("banned_peers", "banned_peers6")
	if r.err != nil {
		return nil, r.err
	}
	return d, nil
}

// readStrings reads the plain string keys.
func (r *reader) readStrings(d *Data) {
	d.Name = r.str("name")
	d.LibtorrentVersion = r.str("libtorrent-version")
	d.SavePath = r.str("save_path")
	d.Comment = r.str("comment")
	d.CreatedBy = r.str("created by")
}

// readNumbers reads the integer keys, with 2.0.8's defaults for absent ones.
func (r *reader) readNumbers(d *Data) {
	const maxI64 = 1<<63 - 1
	d.TotalUploaded = r.int("total_uploaded", 0, 0, maxI64)
	d.TotalDownloaded = r.int("total_downloaded", 0, 0, maxI64)
	d.ActiveTime = r.int("active_time", 0, 0, maxI64)
	d.FinishedTime = r.int("finished_time", 0, 0, maxI64)
	d.SeedingTime = r.int("seeding_time", 0, 0, maxI64)
	d.AddedTime = r.int("added_time", 0, 0, maxI64)
	d.CompletedTime = r.int("completed_time", 0, 0, maxI64)
	d.LastSeenComplete = r.int("last_seen_complete", 0, 0, maxI64)
	d.LastDownload = r.int("last_download", 0, 0, maxI64)
	d.LastUpload = r.int("last_upload", 0, 0, maxI64)
	d.CreationDate = r.int("creation date", 0, 0, maxI64)
	if relativeLastTimes(d.LastDownload, d.LastUpload, d.LibtorrentVersion) {
		d.LastDownload, d.LastUpload = 0, 0
	}
	d.NumComplete = r.count("num_complete")
	d.NumIncomplete = r.count("num_incomplete")
	d.NumDownloaded = r.count("num_downloaded")
	d.UploadRateLimit = int(r.int("upload_rate_limit", -1, minInt32, maxInt32))
	d.DownloadRateLimit = int(r.int("download_rate_limit", -1, minInt32, maxInt32))
	d.MaxConnections = int(r.int("max_connections", -1, minInt32, maxInt32))
	d.MaxUploads = int(r.int("max_uploads", -1, minInt32, maxInt32))
}

// relativeLastTimes reports whether last_download/last_upload are 1.0-style
// "seconds ago" values: written by libtorrent before 1.2, which switched them
// to posix time. Without a clock we cannot convert them, and read as dates
// they would say 1970, so they become 0 (unknown).
func relativeLastTimes(dl, ul int64, version string) bool {
	if dl == 0 && ul == 0 {
		return false
	}
	for _, p := range []string{"0.", "1.0.", "1.1."} {
		if strings.HasPrefix(version, p) {
			return true
		}
	}
	return false
}

// count reads a cached scrape count: 0xffffff (what libtorrent writes) and
// -1 both mean unknown and decode to -1, as does an absent key.
func (r *reader) count(key string) int {
	v := r.int(key, -1, -1, unknownCount)
	if v == unknownCount {
		return -1
	}
	return int(v)
}

// readFlags reads the 0/1 flag keys. Any non-zero integer is true, as in
// libtorrent; absent keys take 2.0.8's defaults (torrent_flags::default_flags
// has paused, auto_managed and apply_ip_filter).
func (r *reader) readFlags(d *Data) {
	d.Paused = r.flag("paused", true)
	d.AutoManaged = r.flag("auto_managed", true)
	d.ApplyIPFilter = r.flag("apply_ip_filter", true)
	d.SeedMode = r.flag("seed_mode", false)
	d.SuperSeeding = r.flag("super_seeding", false)
	d.SequentialDownload = r.flag("sequential_download", false)
	d.UploadMode = r.flag("upload_mode", false)
	d.ShareMode = r.flag("share_mode", false)
	d.StopWhenReady = r.flag("stop_when_ready", false)
	d.DisableDHT = r.flag("disable_dht", false)
	d.DisableLSD = r.flag("disable_lsd", false)
	d.DisablePEX = r.flag("disable_pex", false)
}

// allocation maps "allocation" as 2.0.8 does ("allocate" and 1.0's "full"
// mean allocate, anything else sparse), except that 1.0's "compact" is
// refused: in compact mode piece i may sit in any slot, so the pieces' data
// is not where the torrent says and nothing may be trusted.
func (r *reader) allocation() string {
	raw, ok := r.m["allocation"]
	if !ok {
		return AllocationSparse
	}
	s, ok := bencodex.String(raw)
	switch {
	case !ok:
		r.fail(malformed("allocation", "not a string"))
	case string(s) == "compact":
		r.fail(fmt.Errorf("%w: allocation is \"compact\"", ErrPiecesNeedReorder))
	case string(s) == AllocationAllocate || string(s) == "full":
		return AllocationAllocate
	}
	return AllocationSparse
}

// info returns a copy of the raw "info" dict if it is the torrent's. As in
// 2.0.8, a copy whose hash does not match is dropped rather than fatal (1.0
// stored a re-encoded copy, which differs from the original for a .torrent
// that was not canonical bencode); the caller then simply has no metadata
// from the resume file.
func (r *reader) info(d *Data) []byte {
	raw, ok := r.m["info"]
	if !ok {
		return nil
	}
	if raw[0] != 'd' {
		r.fail(malformed("info", "not a dictionary"))
		return nil
	}
	if sha1.Sum(raw) != d.InfoHash {
		return nil
	}
	if d.InfoHash2 != ([32]byte{}) && sha256.Sum256(raw) != d.InfoHash2 {
		return nil
	}
	return bytes.Clone(raw)
}
