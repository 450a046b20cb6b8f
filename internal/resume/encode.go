package resume

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// Encode writes the resume file libtorrent 2.0.8 writes, key for key, plus
// "file sizes" when FileSizes is set (2.0.8 ignores it when loading).
//
// As in 2.0.8: every flag, counter and limit is written, as is "pieces"
// (possibly empty), "save_path" and "info-hash2" (zero for v1 torrents);
// "unfinished", "mapped_files", "file_priority", "piece_priority" and the
// peer keys only when non-empty, with "peers" and "peers6" (and the banned
// pair) written together. Unlike 2.0.8, "trackers", "url-list" and
// "httpseeds" are left out when nil (see Data), and "trees" is never written:
// 2.0.8 then rebuilds v2 hashes as it needs them.
//
// Encode refuses (ErrInvalidArgument) a Data that Decode would not read back
// as the same value: out-of-range numbers, invalid peers, an Info that is not
// a dictionary with the right hash, and so on.
func (d *Data) Encode() ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	m := map[string]any{
		"file-format":        FileFormat,
		"file-version":       1,
		"libtorrent-version": d.LibtorrentVersion,
		"info-hash":          d.InfoHash[:],
		"info-hash2":         d.InfoHash2[:],
		"save_path":          d.SavePath,
		"allocation":         AllocationSparse,
		"pieces":             nonNilBytes(d.Pieces),

		"total_uploaded":      d.TotalUploaded,
		"total_downloaded":    d.TotalDownloaded,
		"active_time":         d.ActiveTime,
		"finished_time":       d.FinishedTime,
		"seeding_time":        d.SeedingTime,
		"added_time":          d.AddedTime,
		"completed_time":      d.CompletedTime,
		"last_download":       d.LastDownload,
		"last_upload":         d.LastUpload,
		"last_seen_complete":  d.LastSeenComplete,
		"num_complete":        wireCount(d.NumComplete),
		"num_incomplete":      wireCount(d.NumIncomplete),
		"num_downloaded":      wireCount(d.NumDownloaded),
		"upload_rate_limit":   d.UploadRateLimit,
		"download_rate_limit": d.DownloadRateLimit,
		"max_connections":     d.MaxConnections,
		"max_uploads":         d.MaxUploads,

		"paused":              b2i(d.Paused),
		"auto_managed":        b2i(d.AutoManaged),
		"seed_mode":           b2i(d.SeedMode),
		"super_seeding":       b2i(d.SuperSeeding),
		"sequential_download": b2i(d.SequentialDownload),
		"upload_mode":         b2i(d.UploadMode),
		"share_mode":          b2i(d.ShareMode),
		"apply_ip_filter":     b2i(d.ApplyIPFilter),
		"stop_when_ready":     b2i(d.StopWhenReady),
		"disable_dht":         b2i(d.DisableDHT),
		"disable_lsd":         b2i(d.DisableLSD),
		"disable_pex":         b2i(d.DisablePEX),
	}
	if d.Allocation == AllocationAllocate {
		m["allocation"] = AllocationAllocate
	}
	putIf(m, "name", d.Name, d.Name != "")
	putIf(m, "info", bencodex.Raw(d.Info), d.Info != nil)
	putIf(m, "comment", d.Comment, d.Comment != "")
	putIf(m, "created by", d.CreatedBy, d.CreatedBy != "")
	putIf(m, "creation date", d.CreationDate, d.CreationDate != 0)
	putIf(m, "trackers", d.Trackers, d.Trackers != nil)
	putIf(m, "url-list", d.URLList, d.URLList != nil)
	putIf(m, "httpseeds", d.HTTPSeeds, d.HTTPSeeds != nil)
	putIf(m, "mapped_files", d.MappedFiles, len(d.MappedFiles) > 0)
	putIf(m, "file_priority", d.FilePriority, len(d.FilePriority) > 0)
	putIf(m, "piece_priority", d.PiecePriority, len(d.PiecePriority) > 0)
	if d.FileSizes != nil {
		fs := make([]any, len(d.FileSizes))
		for i, f := range d.FileSizes {
			if f.MTimeNano != 0 {
				fs[i] = []int64{f.Size, f.MTime, f.MTimeNano}
			} else {
				fs[i] = []int64{f.Size, f.MTime}
			}
		}
		m["file sizes"] = fs
	}
	if len(d.Unfinished) > 0 {
		up := make([]any, len(d.Unfinished))
		for i, u := range d.Unfinished {
			up[i] = map[string]any{"piece": u.Piece, "bitmask": packBlocks(u.Blocks)}
		}
		m["unfinished"] = up
	}
	if len(d.Peers) > 0 {
		m["peers"], m["peers6"] = compact(d.Peers)
	}
	if len(d.BannedPeers) > 0 {
		m["banned_peers"], m["banned_peers6"] = compact(d.BannedPeers)
	}
	b, err := bencodex.Marshal(m) // keys sorted, as bencode requires
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidArgument, err)
	}
	return b, nil
}

func putIf(m map[string]any, key string, v any, cond bool) {
	if cond {
		m[key] = v
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nonNilBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// wireCount is the scrape count as libtorrent writes it: 0xffffff for unknown.
func wireCount(n int) int {
	if n < 0 {
		return unknownCount
	}
	return n
}

// packBlocks is the MSB-first bitmask of blocks, (len+7)/8 bytes, as 2.0.8
// writes it.
func packBlocks(blocks []bool) []byte {
	out := make([]byte, (len(blocks)+7)/8)
	for k, done := range blocks {
		if done {
			out[k/8] |= 0x80 >> (k % 8)
		}
	}
	return out
}

// compact splits peers into the IPv4 and IPv6 compact strings (address bytes,
// then the port big-endian). IPv4-mapped IPv6 addresses stay IPv6.
func compact(peers []netip.AddrPort) (v4, v6 []byte) {
	v4, v6 = []byte{}, []byte{}
	for _, p := range peers {
		a := p.Addr()
		if a.Is4() {
			v4 = binary.BigEndian.AppendUint16(append(v4, a.AsSlice()...), p.Port())
		} else {
			v6 = binary.BigEndian.AppendUint16(append(v6, a.AsSlice()...), p.Port())
		}
	}
	return v4, v6
}
