package sessionstate

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// ownKeys are the root keys Encode writes from State's fields; State.Other
// never supplies them.
var ownKeys = map[string]bool{
	"settings": true, "dht": true, "dht state": true,
	"extensions": true, "ip_filter4": true, "ip_filter6": true,
}

// Encode writes s in libtorrent's format, the parts flags select (see the
// package doc for which flag writes which key): "settings" whenever
// SaveSettings is set, the others when the flag is set and the field is not
// nil. State.Other is written whatever the flags. Keys come out sorted, as
// libtorrent writes them, so a state libtorrent wrote and Decode read
// re-encodes byte for byte with the flags it was saved with. The error, which
// wraps ErrInvalidState, means s holds something no state can.
func Encode(s State, flags Flags) ([]byte, error) {
	root := map[string]any{}
	for k, raw := range s.Other {
		if ownKeys[k] {
			continue
		}
		if err := checkRaw(raw); err != nil {
			return nil, fmt.Errorf("%w: root key %q: %w", ErrInvalidState, k, err)
		}
		root[k] = raw
	}
	if flags&SaveSettings != 0 {
		sett, err := settingsDict(s)
		if err != nil {
			return nil, err
		}
		root["settings"] = sett
	}
	if flags&SaveDHTSettings != 0 && s.DHTSettings != nil {
		dht, err := legacyDHTDict(s.DHTSettings)
		if err != nil {
			return nil, err
		}
		root["dht"] = dht
	}
	if flags&SaveDHTState != 0 && s.DHT != nil {
		dht, err := dhtStateDict(s.DHT)
		if err != nil {
			return nil, err
		}
		root["dht state"] = dht
	}
	if flags&SaveExtensionState != 0 && s.Extensions != nil {
		ext := map[string]any{}
		for k, v := range s.Extensions {
			ext[k] = v
		}
		root["extensions"] = ext
	}
	if flags&SaveIPFilter != 0 {
		if err := ipFilterLists(root, s.IPFilter); err != nil {
			return nil, err
		}
	}
	out, err := bencodex.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidState, err)
	}
	return out, nil
}

// settingsDict is "settings": UnknownSettings raw, then Settings over them.
func settingsDict(s State) (map[string]any, error) {
	out := make(map[string]any, len(s.Settings)+len(s.UnknownSettings))
	for name, raw := range s.UnknownSettings {
		if err := checkRaw(raw); err != nil {
			return nil, fmt.Errorf("%w: setting %q: %w", ErrInvalidState, name, err)
		}
		out[name] = raw
	}
	for name, v := range s.Settings {
		bv, err := v.bencodeValue()
		if err != nil {
			return nil, fmt.Errorf("setting %q: %w", name, err)
		}
		out[name] = bv
	}
	return out, nil
}

// legacyDHTDict is "dht": each setting under its 1.x field name.
func legacyDHTDict(sett map[string]Value) (map[string]any, error) {
	out := make(map[string]any, len(sett))
	for name, v := range sett {
		f, ok := legacyDHTBySetting(name)
		if !ok {
			return nil, fmt.Errorf("%w: %q is not a setting of the \"dht\" dict", ErrInvalidState, name)
		}
		if v.Kind != f.kind {
			return nil, fmt.Errorf("%w: DHT setting %q is a %v, not a %v", ErrInvalidState, name, v.Kind, f.kind)
		}
		bv, err := v.bencodeValue()
		if err != nil {
			return nil, fmt.Errorf("DHT setting %q: %w", name, err)
		}
		out[f.key] = bv
	}
	return out, nil
}

// dhtStateDict is "dht state". A lone address-less node id is written as
// 1.x did, a bare 20-byte string, so that it reads back the same.
func dhtStateDict(st *DHTState) (map[string]any, error) {
	out := map[string]any{}
	for k, raw := range st.Other {
		if k == "node-id" || k == "nodes" || k == "nodes6" {
			continue
		}
		if err := checkRaw(raw); err != nil {
			return nil, fmt.Errorf("%w: \"dht state\" key %q: %w", ErrInvalidState, k, err)
		}
		out[k] = raw
	}
	switch {
	case len(st.NodeIDs) == 1 && !st.NodeIDs[0].Addr.IsValid():
		out["node-id"] = string(st.NodeIDs[0].ID[:])
	case st.NodeIDs != nil:
		ids := make([]any, 0, len(st.NodeIDs))
		for _, n := range st.NodeIDs {
			addr := n.Addr
			if !addr.IsValid() {
				addr = netip.IPv4Unspecified() // what 2.0 writes for address()
			}
			ids = append(ids, string(n.ID[:])+string(addrBytes(addr)))
		}
		out["node-id"] = ids
	}
	for key, nodes := range map[string][]netip.AddrPort{"nodes": st.Nodes, "nodes6": st.Nodes6} {
		if nodes == nil {
			continue
		}
		list := make([]any, 0, len(nodes))
		for i, ap := range nodes {
			if !ap.Addr().IsValid() {
				return nil, fmt.Errorf("%w: \"dht state\" %s[%d] has no address", ErrInvalidState, key, i)
			}
			b := binary.BigEndian.AppendUint16(addrBytes(ap.Addr()), ap.Port())
			list = append(list, string(b))
		}
		out[key] = list
	}
	return out, nil
}

// ipFilterLists adds "ip_filter4" and "ip_filter6" to root, each only when
// it has ranges, as write_session_params does.
func ipFilterLists(root map[string]any, ranges []IPRange) error {
	var v4, v6 []any
	for i, r := range ranges {
		if !r.First.IsValid() || !r.Last.IsValid() || r.First.Is4() != r.Last.Is4() || r.Last.Less(r.First) {
			return fmt.Errorf("%w: IP filter range %d (%v-%v) is not a range of one family", ErrInvalidState, i, r.First, r.Last)
		}
		b := append(addrBytes(r.First), addrBytes(r.Last)...)
		e := string(binary.BigEndian.AppendUint32(b, r.Flags))
		if r.First.Is4() {
			v4 = append(v4, e)
		} else {
			v6 = append(v6, e)
		}
	}
	if v4 != nil {
		root["ip_filter4"] = v4
	}
	if v6 != nil {
		root["ip_filter6"] = v6
	}
	return nil
}

// addrBytes is a valid address in 4 bytes (IPv4) or 16 (IPv6, zone
// dropped: the format has no room for one).
func addrBytes(a netip.Addr) []byte {
	if a.Is4() {
		b := a.As4()
		return b[:]
	}
	b := a.As16()
	return b[:]
}

// checkRaw checks that raw is exactly one bencode value, so that writing it
// verbatim cannot corrupt the state around it.
func checkRaw(raw bencodex.Raw) error {
	if len(raw) == 0 {
		return fmt.Errorf("empty raw value")
	}
	if _, err := bencodex.Scan(raw, rawLimits); err != nil {
		return err
	}
	return nil
}
