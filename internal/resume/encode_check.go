package resume

import (
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"net/netip"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// check refuses a Data that Encode could write but Decode would refuse or
// read back differently: Encode's output must always load.
func (d *Data) check() error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrInvalidArgument, field, fmt.Sprintf(format, args...))
	}
	for name, v := range map[string]int64{
		"TotalUploaded": d.TotalUploaded, "TotalDownloaded": d.TotalDownloaded,
		"ActiveTime": d.ActiveTime, "FinishedTime": d.FinishedTime, "SeedingTime": d.SeedingTime,
		"AddedTime": d.AddedTime, "CompletedTime": d.CompletedTime, "CreationDate": d.CreationDate,
		"LastDownload": d.LastDownload, "LastUpload": d.LastUpload, "LastSeenComplete": d.LastSeenComplete,
	} {
		if v < 0 {
			return bad(name, "negative (%d)", v)
		}
	}
	for name, v := range map[string]int{"NumComplete": d.NumComplete, "NumIncomplete": d.NumIncomplete, "NumDownloaded": d.NumDownloaded} {
		if v < -1 || v >= unknownCount {
			return bad(name, "%d is outside [-1, %d)", v, unknownCount)
		}
	}
	for name, v := range map[string]int{
		"UploadRateLimit": d.UploadRateLimit, "DownloadRateLimit": d.DownloadRateLimit,
		"MaxConnections": d.MaxConnections, "MaxUploads": d.MaxUploads,
	} {
		if v < minInt32 || v > maxInt32 {
			return bad(name, "%d does not fit 32 bits", v)
		}
	}
	if relativeLastTimes(d.LastDownload, d.LastUpload, d.LibtorrentVersion) {
		return bad("LibtorrentVersion", "%q marks last_download/last_upload as relative; set the writer's version", d.LibtorrentVersion)
	}
	switch d.Allocation {
	case "", AllocationSparse, AllocationAllocate:
	default:
		return bad("Allocation", "%q is neither %q nor %q", d.Allocation, AllocationSparse, AllocationAllocate)
	}
	if err := d.checkInfo(); err != nil {
		return err
	}
	for i, p := range d.PiecePriority {
		if p > maxPriority {
			return bad("PiecePriority", "entry %d is %d", i, p)
		}
	}
	if len(d.FilePriority) > maxFiles || len(d.MappedFiles) > maxFiles || len(d.FileSizes) > maxFiles {
		return bad("FilePriority/MappedFiles/FileSizes", "more than %d files", maxFiles)
	}
	for i, p := range d.FilePriority {
		if p < 0 || p > maxPriority {
			return bad("FilePriority", "entry %d is %d", i, p)
		}
	}
	for i, f := range d.FileSizes {
		if f.Size < 0 || f.MTime < 0 {
			return bad("FileSizes", "entry %d is negative", i)
		}
	}
	if err := checkLists(d); err != nil {
		return bad("Trackers/URLList/HTTPSeeds", "%v", err)
	}
	if err := checkUnfinished(d.Unfinished); err != nil {
		return bad("Unfinished", "%v", err)
	}
	for _, peers := range [][]netip.AddrPort{d.Peers, d.BannedPeers} {
		if err := checkPeers(peers); err != nil {
			return bad("Peers/BannedPeers", "%v", err)
		}
	}
	return nil
}

// checkInfo: Info must be one bencoded dictionary, the torrent's.
func (d *Data) checkInfo() error {
	if d.Info == nil {
		return nil
	}
	if _, err := bencodex.Scan(d.Info, bencodex.Limits{MaxDepth: decodeLimits.MaxDepth}); err != nil || d.Info[0] != 'd' {
		return fmt.Errorf("%w: Info is not a bencoded dictionary (%v)", ErrInvalidArgument, err)
	}
	if sha1.Sum(d.Info) != d.InfoHash {
		return fmt.Errorf("%w: Info's SHA-1 is not InfoHash", ErrInvalidArgument)
	}
	if d.InfoHash2 != ([32]byte{}) && sha256.Sum256(d.Info) != d.InfoHash2 {
		return fmt.Errorf("%w: Info's SHA-256 is not InfoHash2", ErrInvalidArgument)
	}
	return nil
}

func checkLists(d *Data) error {
	if len(d.Trackers) > maxTiers {
		return fmt.Errorf("more than %d tiers", maxTiers)
	}
	n := 0
	for _, t := range d.Trackers {
		n += len(t)
	}
	if n > maxURLs || len(d.URLList) > maxURLs || len(d.HTTPSeeds) > maxURLs {
		return fmt.Errorf("more than %d URLs", maxURLs)
	}
	return nil
}

func checkUnfinished(ups []UnfinishedPiece) error {
	if len(ups) > maxUnfinished {
		return fmt.Errorf("more than %d entries", maxUnfinished)
	}
	seen := make(map[int]bool, len(ups))
	total := 0
	for _, u := range ups {
		n := (len(u.Blocks) + 7) / 8
		switch {
		case u.Piece < 0 || u.Piece > maxInt32:
			return fmt.Errorf("piece %d is not an index", u.Piece)
		case n == 0 || n > maxBitmaskBytes:
			return fmt.Errorf("piece %d: %d blocks", u.Piece, len(u.Blocks))
		case seen[u.Piece]:
			return fmt.Errorf("piece %d listed twice", u.Piece)
		}
		seen[u.Piece] = true
		if total += n; total > maxBitmaskTotal {
			return fmt.Errorf("bitmasks exceed %d bytes", maxBitmaskTotal)
		}
	}
	return nil
}

func checkPeers(peers []netip.AddrPort) error {
	if len(peers) > maxPeers {
		return fmt.Errorf("more than %d peers", maxPeers)
	}
	for _, p := range peers {
		if !p.Addr().IsValid() || p.Addr().Zone() != "" {
			return fmt.Errorf("peer %v has no address or has a zone", p)
		}
	}
	return nil
}
