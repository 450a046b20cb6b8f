package metainfo

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// ErrV2Only: the torrent is BitTorrent v2 only (BEP 52: "meta version" 2, a
// "file tree" and no v1 "pieces"). We verify v1 piece hashes only, so such
// a torrent cannot be downloaded or seeded yet. It wraps ErrInvalidTorrent
// too.
var ErrV2Only = errors.New("metainfo: v2-only torrent")

func v2Only() error {
	return invalidKind(ErrV2Only, "v2-only torrent (BEP 52: meta version 2, a file tree, no v1 pieces); only v1 and hybrid torrents are supported")
}

// metaVersion returns the info dict's "meta version" (-1 when absent or not
// an integer). As in libtorrent, a torrent that declares one must be
// canonical bencode (sorted keys, no duplicates, no leading zeros), and
// versions past 2 are refused.
func metaVersion(d dict, infoBytes []byte) (int64, error) {
	v, ok := bencodex.Int(d.get("meta version"))
	if !ok {
		return -1, nil
	}
	if v > 0 {
		if _, err := bencodex.Scan(infoBytes, bencodex.DefaultLimits); err != nil {
			return 0, invalid("invalid bencoding: %v", err) // leading zeros
		}
		if err := checkSortedKeys(infoBytes, 0); err != nil {
			return 0, invalid("invalid bencoding: %v", err)
		}
	}
	if v > 2 {
		return 0, invalid("unknown meta version %d", v)
	}
	return v, nil
}

// checkSortedKeys reports the first dictionary under raw whose keys are not
// in strictly increasing byte order (libtorrent's bdecode soft errors, with
// leading zeros, which the caller checks with a strict Scan). raw was
// scanned, so its depth is bounded.
func checkSortedKeys(raw []byte, depth int) error {
	if depth > bencodex.DefaultLimits.MaxDepth {
		return errors.New("nested too deep")
	}
	var err error
	switch {
	case len(raw) > 0 && raw[0] == 'd':
		var prev []byte
		first := true
		_, werr := bencodex.DictEach(raw, func(k string, v []byte) (bool, error) {
			key := []byte(k)
			if !first {
				switch c := bytes.Compare(prev, key); {
				case c > 0:
					err = fmt.Errorf("unsorted dictionary key %q", k)
				case c == 0:
					err = fmt.Errorf("duplicate dictionary key %q", k)
				}
			}
			if err == nil {
				err = checkSortedKeys(v, depth+1)
			}
			prev, first = key, false
			return err == nil, nil
		})
		if werr != nil {
			return werr
		}
	case len(raw) > 0 && raw[0] == 'l':
		_, werr := bencodex.ListEach(raw, func(v []byte) (bool, error) {
			err = checkSortedKeys(v, depth+1)
			return err == nil, nil
		})
		if werr != nil {
			return werr
		}
	}
	return err
}

// checkPieceLayers checks a hybrid torrent's "piece layers" as libtorrent
// does when it loads one (their hashes are not verified: we do not use
// them yet): every key is a 32-byte pieces root and every value a string of
// whole SHA-256 hashes, and a file's layer, if there, has one hash per
// piece of the file.
func checkPieceLayers(raw []byte, t *fileTree) error {
	layers := map[[32]byte]int{} // root -> layer length in bytes
	var lerr error
	bencodex.DictEach(raw, func(k string, v []byte) (bool, error) {
		s, ok := bencodex.String(v)
		if len(k) != 32 || !ok || len(s)%32 != 0 {
			lerr = invalid("invalid piece layer for root %x", k)
			return false, nil
		}
		var root [32]byte
		copy(root[:], k)
		if _, dup := layers[root]; !dup {
			layers[root] = len(s)
		}
		return true, nil
	})
	if lerr != nil {
		return lerr
	}
	for i, f := range t.files {
		if f.Length <= t.pl {
			continue // a one-piece file's layer is its root
		}
		n, ok := layers[t.v2[i].root]
		if !ok {
			continue // missing layers are fetched from peers, like a magnet's
		}
		if want := (f.Length + t.pl - 1) / t.pl * 32; int64(n) != want {
			return invalid("piece layer of %q is %d bytes, want %d", f.Path, n, want)
		}
	}
	return nil
}
