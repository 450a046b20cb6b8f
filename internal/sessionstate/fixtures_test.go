package sessionstate

import (
	"bytes"
	"maps"
	"net/netip"
	"slices"
	"testing"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// The fixtures are states libtorrent 2.0.8 saved (testdata/lt_state.py
// fixtures regenerates them). Each must decode with nothing ignored and
// re-encode byte for byte with the flags it was saved with.
var fixtures = []struct {
	file  string
	flags Flags // ours, for the libtorrent flags it was saved with
	keys  []string
}{
	{"lt208_default.state", SaveAll, []string{"dht", "settings"}},
	{"lt208_nondefault.state", SaveAll, []string{"dht", "settings"}},
	{"lt208_dht.state", SaveAll, []string{"dht", "dht state", "settings"}},
	{"lt208_params.state", SaveAll, []string{"dht", "dht state", "extensions", "ip_filter4", "ip_filter6", "settings"}},
	{"lt208_flag_save_settings.state", SaveSettings, []string{"settings"}},
	{"lt208_flag_save_dht_settings.state", SaveDHTSettings, []string{"dht"}},
	{"lt208_flag_save_dht_state.state", SaveDHTState, []string{"dht state"}},
	{"lt208_flag_save_encryption_settings.state", SaveEncryptionSettings, nil},
	{"lt208_flag_save_proxy.state", SaveProxy, nil},
	{"lt208_flag_save_i2p_proxy.state", SaveI2PProxy, nil},
	{"lt208_flag_save_as_map.state", SaveAsMap, nil},
	// 2.0's per-kind proxy flags; 1.0 had them as aliases of save_proxy.
	{"lt208_flag_save_dht_proxy.state", SaveProxy, nil},
	{"lt208_flag_save_peer_proxy.state", SaveProxy, nil},
	{"lt208_flag_save_web_proxy.state", SaveProxy, nil},
	{"lt208_flag_save_tracker_proxy.state", SaveProxy, nil},
}

func TestFixturesDecodeAndReencode(t *testing.T) {
	kinds := ltKinds(t)
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			data := readFixture(t, fx.file)
			st, err := Decode(data, kinds)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Ignored) != 0 || len(st.UnknownSettings) != 0 || len(st.Other) != 0 {
				t.Errorf("ignored %v, unknown settings %v, other keys %v", st.Ignored, st.UnknownSettings, st.Other)
			}
			if got := presentKeys(st); !slices.Equal(got, fx.keys) {
				t.Errorf("keys %q, want %q", got, fx.keys)
			}
			enc, err := Encode(st, fx.flags)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(enc, data) {
				t.Errorf("re-encoded differs:\n got %q\nwant %q", enc, data)
			}
		})
	}
}

// presentKeys lists the root keys a decoded State came from, sorted.
func presentKeys(st State) []string {
	var keys []string
	if st.Settings != nil {
		keys = append(keys, "settings")
	}
	if st.DHTSettings != nil {
		keys = append(keys, "dht")
	}
	if st.DHT != nil {
		keys = append(keys, "dht state")
	}
	if st.Extensions != nil {
		keys = append(keys, "extensions")
	}
	for _, r := range st.IPFilter {
		k := "ip_filter6"
		if r.First.Is4() {
			k = "ip_filter4"
		}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// The non-default fixture holds settings of every kind, and exactly the
// ones that differ from libtorrent's defaults: the session's own settings
// (lt208_nondefault.json), filtered by NonDefault. Built from those settings
// with ForSave, our encoding is libtorrent's byte for byte.
func TestFixtureNonDefaultSettings(t *testing.T) {
	defaults := ltDefaults(t)
	current := readTable(t, "lt208_nondefault.json")
	data := readFixture(t, "lt208_nondefault.state")
	st, err := Decode(data, KindsOf(defaults))
	if err != nil {
		t.Fatal(err)
	}
	if want := NonDefault(current, defaults); !maps.Equal(st.Settings, want) {
		t.Errorf("settings:\n got %v\nwant %v", st.Settings, want)
	}
	for name, want := range map[string]Value{
		"proxy_password":      StringValue("fixture-pass"),
		"dht_bootstrap_nodes": StringValue(""),
		"upload_rate_limit":   IntValue(123456),
		"active_seeds":        IntValue(-1),
		"prefer_rc4":          BoolValue(true),
		"proxy_hostnames":     BoolValue(false),
	} {
		if got := st.Settings[name]; got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if len(st.DHTSettings) != len(legacyDHT) {
		t.Errorf("dht dict has %d settings, want all %d", len(st.DHTSettings), len(legacyDHT))
	}
	for name, want := range map[string]Value{
		"dht_max_peers_reply":     IntValue(50),
		"dht_privacy_lookups":     BoolValue(true),
		"dht_restrict_search_ips": BoolValue(true), // a default: written too
	} {
		if got := st.DHTSettings[name]; got != want {
			t.Errorf("dht %s = %v, want %v", name, got, want)
		}
	}
	enc, err := Encode(ForSave(current, defaults, nil), SaveAll)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, data) {
		t.Errorf("ForSave encoding differs from libtorrent's:\n got %q\nwant %q", enc, data)
	}
}

func TestFixtureDHTState(t *testing.T) {
	st, err := Decode(readFixture(t, "lt208_dht.state"), ltKinds(t))
	if err != nil {
		t.Fatal(err)
	}
	loop := netip.MustParseAddr("127.0.0.1")
	if st.DHT == nil || len(st.DHT.NodeIDs) != 1 || st.DHT.NodeIDs[0].Addr != loop || st.DHT.NodeIDs[0].ID == ([20]byte{}) {
		t.Fatalf("node ids: %+v", st.DHT)
	}
	if len(st.DHT.Nodes) < 2 || st.DHT.Nodes6 != nil {
		t.Fatalf("nodes %v, nodes6 %v: want the swarm's nodes, all in \"nodes\"", st.DHT.Nodes, st.DHT.Nodes6)
	}
	for _, n := range st.DHT.Nodes {
		if n.Addr() != loop || n.Port() == 0 {
			t.Errorf("node %v", n)
		}
	}
}

// lt208_params.state is write_session_params_buf's output, with every key
// it can write.
func TestFixtureSessionParams(t *testing.T) {
	st, err := Decode(readFixture(t, "lt208_params.state"), ltKinds(t))
	if err != nil {
		t.Fatal(err)
	}
	id := func(from byte) (b [20]byte) {
		for i := range b {
			b[i] = from + byte(i)
		}
		return b
	}
	want := &DHTState{
		NodeIDs: []NodeID{
			{ID: id(0), Addr: netip.MustParseAddr("127.0.0.1")},
			{ID: id(20), Addr: netip.MustParseAddr("::1")},
		},
		Nodes:  []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:6881")},
		Nodes6: []netip.AddrPort{netip.MustParseAddrPort("[::1]:6882")},
	}
	if !equalDHT(st.DHT, want) {
		t.Errorf("dht state %+v, want %+v", st.DHT, want)
	}
	if !maps.Equal(st.Extensions, map[string]string{"fixture_plugin": "opaque\x00state"}) {
		t.Errorf("extensions %q", st.Extensions)
	}
	blocked := func(first, last string) IPRange {
		return IPRange{First: netip.MustParseAddr(first), Last: netip.MustParseAddr(last), Flags: 1}
	}
	for _, r := range []IPRange{blocked("10.0.0.0", "10.255.255.255"), blocked("192.168.1.1", "192.168.1.1"), blocked("fe80::", "fe80::ffff")} {
		if !slices.Contains(st.IPFilter, r) {
			t.Errorf("ip filter %v lacks %v", st.IPFilter, r)
		}
	}
	if len(st.IPFilter) != 8 { // export_filter covers the address space: 5 v4 and 3 v6 ranges
		t.Errorf("%d ranges, want 8: %v", len(st.IPFilter), st.IPFilter)
	}
	if got := st.Settings["user_agent"]; got != StringValue("params") {
		t.Errorf("user_agent %v", got)
	}
}

func equalDHT(a, b *DHTState) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(a.NodeIDs, b.NodeIDs) && slices.Equal(a.Nodes, b.Nodes) &&
		slices.Equal(a.Nodes6, b.Nodes6) && maps.EqualFunc(a.Other, b.Other, func(x, y bencodex.Raw) bool { return bytes.Equal(x, y) })
}
