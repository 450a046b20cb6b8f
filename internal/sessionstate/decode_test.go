package sessionstate

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// testKinds know three settings, one of each kind.
var testKinds = KindsOf(map[string]Value{"s": StringValue(""), "i": IntValue(0), "b": BoolValue(false)})

// TestDecodeLenient: what libtorrent's loader skips is skipped and reported,
// never an error.
func TestDecodeLenient(t *testing.T) {
	id := strings.Repeat("N", 20)
	tests := []struct {
		name    string
		in      string
		kinds   Kinds
		check   func(t *testing.T, st State)
		ignored []string // Ignored keys, unquoted
	}{
		{
			name: "settings of each kind",
			in:   "d8:settingsd1:bi7e1:ii-5e1:s3:abcee",
			check: func(t *testing.T, st State) {
				want := map[string]Value{"b": BoolValue(true), "i": IntValue(-5), "s": StringValue("abc")}
				if !maps.Equal(st.Settings, want) {
					t.Errorf("settings %v", st.Settings)
				}
			},
		},
		{
			name: "unknown names and wrong types are kept raw",
			in:   "d8:settingsd1:b1:x1:ili1ee1:s" + "i1e" + "1:zi1eee",
			check: func(t *testing.T, st State) {
				if len(st.Settings) != 0 {
					t.Errorf("settings %v", st.Settings)
				}
				want := map[string]string{"b": "1:x", "i": "li1ee", "s": "i1e", "z": "i1e"}
				if got := rawStrings(st.UnknownSettings); !maps.Equal(got, want) {
					t.Errorf("unknown %q", got)
				}
			},
			ignored: []string{"settings.b", "settings.i", "settings.s", "settings.z"},
		},
		{
			name:  "nil kinds knows no setting",
			in:    "d8:settingsd1:ii1eee",
			kinds: func(string) (Kind, bool) { return 0, false },
			check: func(t *testing.T, st State) {
				if len(st.Settings) != 0 || len(st.UnknownSettings) != 1 {
					t.Errorf("settings %v unknown %v", st.Settings, st.UnknownSettings)
				}
			},
			ignored: []string{"settings.i"},
		},
		{
			name: "int outside int32 is not truncated",
			in:   "d8:settingsd1:ii8589934597eee",
			check: func(t *testing.T, st State) {
				if _, ok := st.Settings["i"]; ok || len(st.UnknownSettings) != 1 {
					t.Errorf("settings %v", st.Settings)
				}
			},
			ignored: []string{"settings.i"},
		},
		{
			name: "repeated setting: last usable wins, a later unusable one does not undo it",
			in:   "d8:settingsd1:ii1e1:ii2e1:i1:x1:si5e1:s1:yee",
			check: func(t *testing.T, st State) {
				if st.Settings["i"] != IntValue(2) || st.Settings["s"] != StringValue("y") {
					t.Errorf("settings %v", st.Settings)
				}
				if len(st.UnknownSettings) != 0 {
					t.Errorf("unknown %q: a name is in one map only", st.UnknownSettings)
				}
			},
			ignored: []string{"settings.i", "settings.s"},
		},
		{
			name: "root keys: first occurrence counts, wrong types skipped, others raw",
			in:   "d8:settings3:abc8:settingsd1:ii1ee3:dhtle9:dht statei0e10:extensionsle10:ip_filter4de5:proxyd4:porti1ee6:pluginl1:xee",
			check: func(t *testing.T, st State) {
				if st.Settings != nil || st.DHTSettings != nil || st.DHT != nil || st.Extensions != nil || st.IPFilter != nil {
					t.Errorf("wrong-typed keys decoded: %+v", st)
				}
				want := map[string]string{"proxy": "d4:porti1ee", "plugin": "l1:xe"}
				if got := rawStrings(st.Other); !maps.Equal(got, want) {
					t.Errorf("other %q", got)
				}
			},
			ignored: []string{"settings", "settings", "dht", "dht state", "extensions", "ip_filter4"},
		},
		{
			name: "legacy dht dict",
			in:   "d3:dhtd9:max_peersi7e9:max_peersi8e9:read_onlyi5e12:max_torrents1:x5:bogusi1eee",
			check: func(t *testing.T, st State) {
				want := map[string]Value{"dht_max_peers": IntValue(7), "dht_read_only": BoolValue(true)}
				if !maps.Equal(st.DHTSettings, want) {
					t.Errorf("dht %v", st.DHTSettings)
				}
			},
			ignored: []string{"dht.max_peers", "dht.max_torrents", "dht.bogus"},
		},
		{
			name: "1.x node id",
			in:   "d9:dht stated7:node-id20:" + id + "ee",
			check: func(t *testing.T, st State) {
				if len(st.DHT.NodeIDs) != 1 || st.DHT.NodeIDs[0].Addr.IsValid() || string(st.DHT.NodeIDs[0].ID[:]) != id {
					t.Errorf("node ids %+v", st.DHT.NodeIDs)
				}
			},
		},
		{
			name: "node id list skips bad entries",
			in: "d9:dht stated7:node-idl24:" + id + "\x0a\x00\x00\x01" + "20:" + id + "i1e" +
				"36:" + id + strings.Repeat("\x00", 15) + "\x01" + "25:" + id + "\x01\x02\x03\x04\x05" + "e5:extrai1eee",
			check: func(t *testing.T, st State) {
				want := []NodeID{{ID: [20]byte([]byte(id)), Addr: netip.MustParseAddr("10.0.0.1")}, {ID: [20]byte([]byte(id)), Addr: netip.MustParseAddr("::1")}}
				if !slices.Equal(st.DHT.NodeIDs, want) {
					t.Errorf("node ids %+v", st.DHT.NodeIDs)
				}
				if got := rawStrings(st.DHT.Other); !maps.Equal(got, map[string]string{"extra": "i1e"}) {
					t.Errorf("other %q", got)
				}
			},
			ignored: []string{"dht state.node-id[1]", "dht state.node-id[2]", "dht state.node-id[4]"},
		},
		{
			name: "node-id of another type",
			in:   "d9:dht stated7:node-id3:abcee",
			check: func(t *testing.T, st State) {
				if st.DHT == nil || st.DHT.NodeIDs != nil {
					t.Errorf("dht %+v", st.DHT)
				}
			},
			ignored: []string{"dht state.node-id"},
		},
		{
			name: "nodes: both families in either list, bad lengths skipped, a non-string ends it",
			in: "d9:dht stated5:nodesl6:\x7f\x00\x00\x01\x1a\xe1" + "3:abc" + "18:" + strings.Repeat("\x00", 15) + "\x01\x00\x50" +
				"i1e" + "6:\x01\x02\x03\x04\x00\x01e" + "6:nodes6l6:\x7f\x00\x00\x02\x00\x02eee",
			check: func(t *testing.T, st State) {
				want := []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:6881"), netip.MustParseAddrPort("[::1]:80")}
				if !slices.Equal(st.DHT.Nodes, want) {
					t.Errorf("nodes %v", st.DHT.Nodes)
				}
				if !slices.Equal(st.DHT.Nodes6, []netip.AddrPort{netip.MustParseAddrPort("127.0.0.2:2")}) {
					t.Errorf("nodes6 %v", st.DHT.Nodes6)
				}
			},
			ignored: []string{"dht state.nodes[1]", "dht state.nodes[3]"},
		},
		{
			name: "ip filter: long strings read from the start, short and reversed skipped, v4 first",
			in: "d10:ip_filter6l36:" + strings.Repeat("\x00", 15) + "\x01" + strings.Repeat("\x00", 15) + "\x02" + "\x00\x00\x00\x01" + "e" +
				"10:ip_filter4l" + "13:\x0a\x00\x00\x00\x0a\x00\x00\x09\x00\x00\x00\x01X" + "11:\x0a\x00\x00\x00\x0a\x00\x00\x09\x00\x00\x00" +
				"12:\x0a\x00\x00\x09\x0a\x00\x00\x00\x00\x00\x00\x01" + "i1e" + "ee",
			check: func(t *testing.T, st State) {
				want := []IPRange{
					{First: netip.MustParseAddr("10.0.0.0"), Last: netip.MustParseAddr("10.0.0.9"), Flags: 1},
					{First: netip.MustParseAddr("::1"), Last: netip.MustParseAddr("::2"), Flags: 1},
				}
				if !slices.Equal(st.IPFilter, want) {
					t.Errorf("ip filter %v", st.IPFilter)
				}
			},
			ignored: []string{"ip_filter4[1]", "ip_filter4[2]", "ip_filter4[3]"},
		},
		{
			name: "extensions: strings only, last wins",
			in:   "d10:extensionsd1:a1:x1:a1:y1:bi1eee",
			check: func(t *testing.T, st State) {
				if !maps.Equal(st.Extensions, map[string]string{"a": "y"}) {
					t.Errorf("extensions %q", st.Extensions)
				}
			},
			ignored: []string{"extensions.b"},
		},
		{
			name: "trailing bytes and non-canonical integers, as libtorrent's bdecode",
			in:   "d8:settingsd1:ii007eeeGARBAGE",
			check: func(t *testing.T, st State) {
				if st.Settings["i"] != IntValue(7) {
					t.Errorf("settings %v", st.Settings)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kinds := tc.kinds
			if kinds == nil {
				kinds = testKinds
			}
			st, err := Decode([]byte(tc.in), kinds)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, st)
			var keys []string
			for _, ig := range st.Ignored {
				keys = append(keys, strings.Trim(ig.Key, `"`))
			}
			if !slices.Equal(keys, tc.ignored) {
				t.Errorf("ignored %v, want keys %q", st.Ignored, tc.ignored)
			}
		})
	}
}

func rawStrings(m map[string]bencodex.Raw) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []error
	}{
		{"empty", nil, []error{ErrMalformed, bencodex.ErrSyntax}},
		{"not bencode", []byte("hello"), []error{ErrMalformed, bencodex.ErrSyntax}},
		{"truncated", []byte("d8:settingsd1:i"), []error{ErrMalformed, bencodex.ErrSyntax}},
		{"root is a list", []byte("le"), []error{ErrMalformed}},
		{"root is an int", []byte("i1e"), []error{ErrMalformed}},
		{"int overflows int64", []byte("d1:ai99999999999999999999ee"), []error{ErrMalformed, bencodex.ErrIntOverflow}},
		{"too deep", []byte(strings.Repeat("l", 200) + strings.Repeat("e", 200)), []error{ErrMalformed, bencodex.ErrTooDeep}},
		{"huge declared string", []byte("d1:a999999999:x"), []error{ErrMalformed}},
		{"too many settings", manySettings(maxSettings + 1), []error{ErrTooLarge}},
		{"too many extensions", dictOf("extensions", maxSettings+1, "1:x"), []error{ErrTooLarge}},
		{"too many root keys", dictOf("", maxOtherKeys+1, "i0e"), []error{ErrTooLarge}},
		{"too many dht state keys", []byte("d9:dht state" + string(dictOf("", maxOtherKeys+1, "i0e")) + "e"), []error{ErrTooLarge}},
		{"too many node ids", listOf("node-id", maxNodeIDs+1, "24:"+strings.Repeat("n", 24)), []error{ErrTooLarge}},
		{"too many nodes", listOf("nodes", maxNodes+1, "6:"+strings.Repeat("n", 6)), []error{ErrTooLarge}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Decode(tc.in, testKinds)
			if err == nil {
				t.Fatalf("no error; state %+v", st)
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v does not wrap %v", err, w)
				}
			}
			if !wrapsSentinel(err) {
				t.Errorf("error %v wraps not exactly one sentinel", err)
			}
			if !reflect.DeepEqual(st, State{}) {
				t.Errorf("state on error: %+v", st)
			}
		})
	}
}

// dictOf is {key: {k000000: value, ...}} with n entries, or the inner dict
// alone if key is "".
func dictOf(key string, n int, value string) []byte {
	var b strings.Builder
	for i := range n {
		name := fmt.Sprintf("k%06d", i)
		fmt.Fprintf(&b, "%d:%s%s", len(name), name, value)
	}
	if key == "" {
		return []byte("d" + b.String() + "e")
	}
	return []byte(fmt.Sprintf("d%d:%sd%see", len(key), key, b.String()))
}

// listOf is {"dht state": {key: [elem, ...]}} with n elements.
func listOf(key string, n int, elem string) []byte {
	return []byte(fmt.Sprintf("d9:dht stated%d:%sl%seee", len(key), key, strings.Repeat(elem, n)))
}

func manySettings(n int) []byte {
	var b strings.Builder
	b.WriteString("d8:settingsd")
	for i := range n {
		name := fmt.Sprintf("k%06d", i)
		fmt.Fprintf(&b, "%d:%si1e", len(name), name)
	}
	b.WriteString("ee")
	return []byte(b.String())
}

// The report is bounded and keys from the input are quoted and cut.
func TestDecodeIgnoredBounded(t *testing.T) {
	st, err := Decode(manySettings(3000), testKinds)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Ignored) != maxIgnored+1 || st.Ignored[maxIgnored].Reason != "1976 more entries ignored" {
		t.Errorf("%d reports, last %v", len(st.Ignored), st.Ignored[len(st.Ignored)-1])
	}
	long := strings.Repeat("\x01", 1000)
	st, err = Decode(bencoded(t, map[string]any{"settings": map[string]any{long: 1}}), testKinds)
	if err != nil {
		t.Fatal(err)
	}
	if k := st.Ignored[0].Key; len(k) > 5*maxIgnoredKey || !strings.HasPrefix(k, `"settings.\x01`) {
		t.Errorf("key %q", k)
	}
}

// Past MaxSize, Decode refuses before looking at the bytes; a million IP
// ranges take 15 MiB. (Tens of MiB are slow to allocate under the race detector,
// and the checks are comparisons: the test runs without it.)
func TestDecodeLargeLimits(t *testing.T) {
	if raceEnabled {
		t.Skip("allocating 64 MiB takes ~20 s under -race")
	}
	in := make([]byte, MaxSize+1)
	copy(in, "d1:a")
	if _, err := Decode(in, testKinds); !errors.Is(err, ErrTooLarge) || !wrapsSentinel(err) {
		t.Errorf("error %v, want ErrTooLarge", err)
	}
	// Under MaxSize, but with more IP filter ranges than maxIPRanges.
	ranges := fmt.Sprintf("d10:ip_filter4l%see", strings.Repeat("12:\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01", maxIPRanges+1))
	if _, err := Decode([]byte(ranges), testKinds); !errors.Is(err, ErrTooLarge) || !wrapsSentinel(err) {
		t.Errorf("error %v, want ErrTooLarge", err)
	}
}
