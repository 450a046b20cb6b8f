package metainfo

import (
	"crypto/sha1"
	"strings"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// lenientLimits read .torrent files as libtorrent's bdecode does: integers
// and string lengths with leading zeros are accepted (but not in a torrent
// that declares a meta version, see metaVersion).
var lenientLimits = func() bencodex.Limits {
	lim := bencodex.DefaultLimits
	lim.AllowNonCanonical = true
	return lim
}()

// Parse parses and validates a .torrent file. Bytes after the root
// dictionary are ignored, as libtorrent does.
func Parse(data []byte) (*MetaInfo, error) {
	if len(data) > MaxTorrentFileSize {
		return nil, invalidTooLarge(len(data))
	}
	lim := lenientLimits
	lim.AllowTrailing = true
	end, err := bencodex.Scan(data, lim)
	if err != nil {
		return nil, invalid("%v", err)
	}
	d, isDict, err := dictOf(data[:end])
	if err != nil {
		return nil, invalid("%v", err)
	}
	if !isDict {
		return nil, invalid("top level is not a dictionary")
	}
	infoRaw, ok := d["info"]
	if !ok {
		return nil, invalid("missing info dictionary")
	}
	info, tree, err := parseInfo(infoRaw)
	if err != nil {
		return nil, err
	}
	if layers := d["piece layers"]; tree != nil && len(layers) > 0 && layers[0] == 'd' {
		if err := checkPieceLayers(layers, tree); err != nil {
			return nil, err
		}
	}
	m := &MetaInfo{
		Info:      *info,
		InfoHash:  sha1.Sum(infoRaw),
		InfoBytes: append([]byte(nil), infoRaw...),
	}
	m.Announce = strings.TrimSpace(stringOf(d["announce"]))
	m.AnnounceList = parseAnnounceList(d["announce-list"])
	m.URLList = parseURLList(d["url-list"])
	m.Comment = preferUTF8(d, "comment")
	m.CreatedBy = stringOf(d["created by"])
	m.CreationDate, _ = bencodex.Int(d["creation date"])
	return m, nil
}

// dictOf indexes the dictionary raw starts with by key. Values are
// sub-slices of raw. The first occurrence of a duplicate key wins, matching
// bencodex.DictValue and libtorrent.
func dictOf(raw []byte) (map[string][]byte, bool, error) {
	d := make(map[string][]byte)
	isDict, err := bencodex.DictEach(raw, func(k string, v []byte) (bool, error) {
		if _, dup := d[k]; !dup {
			d[k] = v
		}
		return true, nil
	})
	return d, isDict, err
}

// stringOf returns raw's contents if it is a bencode string, else "".
func stringOf(raw []byte) string {
	s, _ := bencodex.String(raw)
	return string(s)
}

// preferUTF8 returns key+".utf-8" if it is a string, else key. Old clients
// wrote locale-encoded "name"/"comment" and added the ".utf-8" variant.
func preferUTF8(d map[string][]byte, key string) string {
	if s, ok := bencodex.String(d[key+".utf-8"]); ok {
		return string(s)
	}
	return stringOf(d[key])
}

// parseAnnounceList reads BEP 12 tiers leniently, like libtorrent: entries
// of the wrong type and empty URLs are skipped, empty tiers dropped.
func parseAnnounceList(raw []byte) [][]string {
	var tiers [][]string
	bencodex.ListEach(raw, func(tierRaw []byte) (bool, error) {
		var tier []string
		bencodex.ListEach(tierRaw, func(u []byte) (bool, error) {
			if s := strings.TrimSpace(stringOf(u)); s != "" {
				tier = append(tier, s)
			}
			return true, nil
		})
		if len(tier) > 0 {
			tiers = append(tiers, tier)
		}
		return true, nil
	})
	return tiers
}

// parseURLList reads BEP 19 "url-list", which may be a string or a list.
func parseURLList(raw []byte) []string {
	if s := strings.TrimSpace(stringOf(raw)); s != "" {
		return []string{s}
	}
	var urls []string
	bencodex.ListEach(raw, func(u []byte) (bool, error) {
		if s := strings.TrimSpace(stringOf(u)); s != "" {
			urls = append(urls, s)
		}
		return true, nil
	})
	return urls
}

// FromInfoBytes builds a MetaInfo from a bare info dictionary (as resume
// data and ut_metadata carry it): the info-hash is the SHA-1 of raw, and
// there are no trackers or other outer keys.
func FromInfoBytes(raw []byte) (*MetaInfo, error) {
	if len(raw) > MaxTorrentFileSize {
		return nil, invalidTooLarge(len(raw))
	}
	if _, err := bencodex.Scan(raw, lenientLimits); err != nil {
		return nil, invalid("info dictionary: %v", err)
	}
	info, err := ParseInfo(raw)
	if err != nil {
		return nil, err
	}
	return &MetaInfo{Info: *info, InfoHash: sha1.Sum(raw), InfoBytes: append([]byte(nil), raw...)}, nil
}
