package sessionstate

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// dhtState decodes "dht state" as read_dht_state does: the first "node-id",
// "nodes" and "nodes6" count; other keys are kept raw.
func (d *decoder) dhtState(raw []byte) error {
	st := &DHTState{}
	d.st.DHT = st
	seen := map[string]bool{}
	_, err := dictEach(raw, func(key string, v []byte) (bool, error) {
		path := "dht state." + key
		if seen[key] {
			d.ignore(path, "repeated key: the first one counts")
			return true, nil
		}
		seen[key] = true
		switch key {
		case "node-id":
			return true, d.nodeIDs(st, v)
		case "nodes", "nodes6":
			if !d.expect(path, v, 'l') {
				return true, nil
			}
			return true, d.nodes(st, key, v)
		}
		if len(st.Other) >= maxOtherKeys {
			return false, fmt.Errorf("%w: more than %d keys in \"dht state\"", ErrTooLarge, maxOtherKeys)
		}
		if st.Other == nil {
			st.Other = map[string]bencodex.Raw{}
		}
		st.Other[key] = copyRaw(v)
		return true, nil
	})
	return err
}

// nodeIDs decodes "node-id": a 1.x 20-byte string, or a list of id+address
// strings of which only the 24- and 36-byte ones are usable.
func (d *decoder) nodeIDs(st *DHTState, v []byte) error {
	const path = "dht state.node-id"
	if s, ok := bencodex.String(v); ok && len(s) == 20 {
		var n NodeID
		copy(n.ID[:], s)
		st.NodeIDs = append(st.NodeIDs, n)
		return nil
	}
	if v[0] != 'l' {
		d.ignore(path, "neither a list nor a 20-byte string")
		return nil
	}
	st.NodeIDs = []NodeID{}
	i := -1
	_, err := listEach(v, func(e []byte) (bool, error) {
		i++
		s, ok := bencodex.String(e)
		if !ok || (len(s) != 24 && len(s) != 36) {
			d.ignore(elemPath(path, i), "not a 24- or 36-byte string")
			return true, nil
		}
		if len(st.NodeIDs) >= maxNodeIDs {
			return false, fmt.Errorf("%w: more than %d node ids", ErrTooLarge, maxNodeIDs)
		}
		var n NodeID
		copy(n.ID[:], s)
		n.Addr = addrFrom(s[20:])
		st.NodeIDs = append(st.NodeIDs, n)
		return true, nil
	})
	return err
}

// nodes decodes "nodes" or "nodes6" as read_endpoint_list does: 6- and
// 18-byte strings are endpoints, other lengths are skipped, and the first
// element that is not a string ends the list.
func (d *decoder) nodes(st *DHTState, key string, v []byte) error {
	out := []netip.AddrPort{}
	i := -1
	_, err := listEach(v, func(e []byte) (bool, error) {
		i++
		s, ok := bencodex.String(e)
		if !ok {
			d.ignore(elemPath("dht state."+key, i), "not a string: libtorrent reads no further")
			return false, nil
		}
		if len(s) != 6 && len(s) != 18 {
			d.ignore(elemPath("dht state."+key, i), "not a 6- or 18-byte endpoint")
			return true, nil
		}
		if len(st.Nodes)+len(st.Nodes6)+len(out) >= maxNodes {
			return false, fmt.Errorf("%w: more than %d DHT nodes", ErrTooLarge, maxNodes)
		}
		ap := netip.AddrPortFrom(addrFrom(s[:len(s)-2]), binary.BigEndian.Uint16(s[len(s)-2:]))
		out = append(out, ap)
		return true, nil
	})
	if key == "nodes" {
		st.Nodes = out
	} else {
		st.Nodes6 = out
	}
	return err
}

// ipFilter decodes "ip_filter4" or "ip_filter6": strings of first, last and
// flags. As read_session_params does, longer strings are read from their
// start, and short ones, non-strings and first > last are skipped.
func (d *decoder) ipFilter(key string, v []byte) error {
	addrLen, out := 4, &d.ranges4
	if key == "ip_filter6" {
		addrLen, out = 16, &d.ranges6
	}
	// A blocklist has hundreds of thousands of ranges: count them first so
	// that the slice is allocated once, not grown in steps that add up to
	// five times its size.
	n := 0
	if _, err := listEach(v, func([]byte) (bool, error) { n++; return n <= maxIPRanges, nil }); err != nil {
		return err
	}
	*out = slices.Grow(*out, min(n, maxIPRanges))
	i := -1
	_, err := listEach(v, func(e []byte) (bool, error) {
		i++
		s, ok := bencodex.String(e)
		if !ok || len(s) < 2*addrLen+4 {
			d.ignore(elemPath(key, i), "not a string of at least "+strconv.Itoa(2*addrLen+4)+" bytes")
			return true, nil
		}
		r := IPRange{
			First: addrFrom(s[:addrLen]),
			Last:  addrFrom(s[addrLen : 2*addrLen]),
			Flags: binary.BigEndian.Uint32(s[2*addrLen:]),
		}
		if r.Last.Less(r.First) {
			d.ignore(elemPath(key, i), "first address after last")
			return true, nil
		}
		if len(d.ranges4)+len(d.ranges6) >= maxIPRanges {
			return false, fmt.Errorf("%w: more than %d IP filter ranges", ErrTooLarge, maxIPRanges)
		}
		*out = append(*out, r)
		return true, nil
	})
	return err
}

// elemPath names element i of a list, for a report (built only when one is
// made: lists can hold a million elements).
func elemPath(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]" }

// addrFrom reads a 4- or 16-byte address. A 16-byte one stays IPv6 even
// when it is IPv4-mapped, as libtorrent's read_v6_address keeps it.
func addrFrom(b []byte) netip.Addr {
	if len(b) == 4 {
		return netip.AddrFrom4([4]byte(b))
	}
	return netip.AddrFrom16([16]byte(b))
}
