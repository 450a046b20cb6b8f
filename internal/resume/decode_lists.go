package resume

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// trackers reads "trackers", a list of tiers, each a list of URLs. Empty
// tiers are kept: 2.0.8 writes a tracker into the inner list whose index is
// its tier, so gaps are empty lists and the tier numbers are the indices.
func (r *reader) trackers() [][]string {
	var tiers [][]string
	urls := 0
	present := r.list("trackers", maxTiers, func(i int, raw []byte) error {
		var tier []string
		isList, err := bencodex.ListEach(raw, func(u []byte) (bool, error) {
			s, ok := bencodex.String(u)
			if !ok {
				return false, malformed("trackers", "tier %d holds a non-string", i)
			}
			if urls++; urls > maxURLs {
				return false, malformed("trackers", "more than %d URLs", maxURLs)
			}
			tier = append(tier, string(s))
			return true, nil
		})
		if !isList {
			return malformed("trackers", "tier %d is not a list", i)
		}
		tiers = append(tiers, tier)
		return err
	})
	if present && tiers == nil {
		tiers = [][]string{}
	}
	return tiers
}

// fileSizes reads 1.0's "file sizes": one [size, mtime] pair per file.
func (r *reader) fileSizes() []FileSize {
	var out []FileSize
	present := r.list("file sizes", maxFiles, func(i int, raw []byte) error {
		// [size, mtime] as 1.0 writes it, or [size, mtime, mtime_ns] as
		// we do (1.0 reads the first two).
		var vals [3]int64
		n := 0
		isList, err := bencodex.ListEach(raw, func(e []byte) (bool, error) {
			v, ok := bencodex.Int(e)
			if n >= 3 || !ok || v < 0 {
				return false, malformed("file sizes", "entry %d is not [size, mtime] of non-negative integers", i)
			}
			vals[n] = v
			n++
			return true, nil
		})
		if err != nil {
			return err
		}
		if !isList || n < 2 {
			return malformed("file sizes", "entry %d is not a [size, mtime] list", i)
		}
		out = append(out, FileSize{Size: vals[0], MTime: vals[1], MTimeNano: vals[2]})
		return nil
	})
	if present && out == nil {
		out = []FileSize{}
	}
	return out
}

// unfinished reads "unfinished": {piece, bitmask} dicts. Entries that 2.0.8
// would skip (not a dict, negative piece, empty bitmask) are errors here, as
// are duplicates (2.0.8 lets the last win). Whether the piece index and the
// bitmask length fit the torrent is checked by Validate.
//
// Bit order: 2.0.8 writes a libtorrent bitfield, block k at bit 0x80>>(k%8)
// of byte k/8 (MSB first); 1.0 wrote 1<<(k%8) (LSB first). Nothing in the
// file tells them apart, so this decodes as 2.0.8. A 1.0 file's partial
// pieces then come out with the wrong blocks, which costs re-downloading
// them, never bad data: a piece is hashed when it completes.
func (r *reader) unfinished() []UnfinishedPiece {
	const key = "unfinished"
	var out []UnfinishedPiece
	seen := make(map[int]bool)
	total := 0
	r.list(key, maxUnfinished, func(i int, raw []byte) error {
		var piece int64 = -1
		var mask []byte
		isDict, err := bencodex.DictEach(raw, func(k string, v []byte) (bool, error) {
			switch {
			case k == "piece" && piece < 0:
				p, ok := bencodex.Int(v)
				if !ok || p < 0 || p > maxInt32 {
					return false, malformed(key, "entry %d: piece is not an index", i)
				}
				piece = p
			case k == "bitmask" && mask == nil:
				s, ok := bencodex.String(v)
				if !ok || len(s) == 0 || len(s) > maxBitmaskBytes {
					return false, malformed(key, "entry %d: bitmask is not a string of 1..%d bytes", i, maxBitmaskBytes)
				}
				mask = s
			}
			return true, nil
		})
		switch {
		case err != nil:
			return err
		case !isDict:
			return malformed(key, "entry %d is not a dictionary", i)
		case piece < 0 || mask == nil:
			return malformed(key, "entry %d lacks piece or bitmask", i)
		case seen[int(piece)]:
			return malformed(key, "piece %d listed twice", piece)
		}
		if total += len(mask); total > maxBitmaskTotal {
			return malformed(key, "bitmasks exceed %d bytes", maxBitmaskTotal)
		}
		seen[int(piece)] = true
		out = append(out, UnfinishedPiece{Piece: int(piece), Blocks: unpackBlocks(mask)})
		return nil
	})
	return out
}

// unpackBlocks expands an MSB-first bitmask to one bool per bit.
func unpackBlocks(mask []byte) []bool {
	out := make([]bool, 8*len(mask))
	for k := range out {
		out[k] = mask[k/8]&(0x80>>(k%8)) != 0
	}
	return out
}

// peers reads a compact IPv4 key and its IPv6 companion (or 1.0's list of
// {ip, port} dicts in the IPv4 key). IPv4 peers come first, then IPv6 ones,
// each group in file order. A compact string whose length is not a multiple
// of the entry size is an error (2.0.8 ignores the tail). 2.0.8 also skips
// the first IPv4 banned peer when reading, a bug not mirrored here.
func (r *reader) peers(key4, key6 string) []netip.AddrPort {
	var v4, v6 []netip.AddrPort
	add := func(ap netip.AddrPort) {
		if ap.Addr().Is4() {
			v4 = append(v4, ap)
		} else {
			v6 = append(v6, ap)
		}
	}
	if raw, ok := r.m[key4]; ok && len(raw) > 0 && raw[0] == 'l' {
		r.list(key4, maxPeers, func(i int, e []byte) error {
			ap, err := peerDict(key4, i, e)
			if err == nil {
				add(ap)
			}
			return err
		})
	} else {
		r.compactPeers(key4, 4, add)
	}
	r.compactPeers(key6, 16, add)
	if len(v4)+len(v6) > maxPeers {
		r.fail(malformed(key4, "more than %d peers", maxPeers))
	}
	if r.err != nil {
		return nil
	}
	return append(v4, v6...)
}

// compactPeers reads a string of address+port entries at key.
func (r *reader) compactPeers(key string, addrLen int, add func(netip.AddrPort)) {
	raw, ok := r.m[key]
	if !ok || r.err != nil {
		return
	}
	s, ok := bencodex.String(raw)
	entry := addrLen + 2
	switch {
	case !ok:
		r.fail(malformed(key, "not a string"))
		return
	case len(s)%entry != 0:
		r.fail(malformed(key, "length %d is not a multiple of %d", len(s), entry))
		return
	case len(s)/entry > maxPeers:
		r.fail(malformed(key, "more than %d peers", maxPeers))
		return
	}
	for ; len(s) > 0; s = s[entry:] {
		addr, _ := netip.AddrFromSlice(s[:addrLen]) // addrLen is 4 or 16: never fails
		add(netip.AddrPortFrom(addr, binary.BigEndian.Uint16(s[addrLen:])))
	}
}

// peerDict reads one of 1.0's {ip: "1.2.3.4", port: 6881} peer entries.
func peerDict(key string, i int, raw []byte) (netip.AddrPort, error) {
	var ipRaw, portRaw []byte
	isDict, err := bencodex.DictEach(raw, func(k string, v []byte) (bool, error) {
		if k == "ip" && ipRaw == nil {
			ipRaw = v
		} else if k == "port" && portRaw == nil {
			portRaw = v
		}
		return true, nil
	})
	if err != nil || !isDict {
		return netip.AddrPort{}, malformed(key, "entry %d is not a dictionary", i)
	}
	ip, ok := bencodex.String(ipRaw)
	port, okPort := bencodex.Int(portRaw)
	if !ok || !okPort || port < 0 || port > 0xffff {
		return netip.AddrPort{}, malformed(key, "entry %d lacks a string ip and a port 0..65535", i)
	}
	addr, err := netip.ParseAddr(string(ip))
	if err != nil || addr.Zone() != "" {
		return netip.AddrPort{}, malformed(key, "entry %d: %s", i, fmt.Sprintf("bad ip %.60q", ip))
	}
	return netip.AddrPortFrom(addr, uint16(port)), nil
}
