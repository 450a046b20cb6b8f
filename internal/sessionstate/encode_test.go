package sessionstate

import (
	"errors"
	"math"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// full is a State with every part set.
func full() State {
	return State{
		Settings:        map[string]Value{"s": StringValue("x\x00y"), "i": IntValue(math.MinInt32), "b": BoolValue(true)},
		UnknownSettings: map[string]bencodex.Raw{"future": bencodex.Raw("li1ee")},
		DHTSettings:     map[string]Value{"dht_max_peers": IntValue(9), "dht_read_only": BoolValue(false)},
		DHT: &DHTState{
			NodeIDs: []NodeID{{ID: [20]byte{1}, Addr: netip.MustParseAddr("10.1.2.3")}},
			Nodes:   []netip.AddrPort{netip.MustParseAddrPort("10.0.0.1:1"), netip.MustParseAddrPort("[2001:db8::1]:2")},
			Nodes6:  []netip.AddrPort{},
			Other:   map[string]bencodex.Raw{"x": bencodex.Raw("i0e")},
		},
		Extensions: map[string]string{"p": "state"},
		IPFilter: []IPRange{
			{First: netip.MustParseAddr("1.0.0.0"), Last: netip.MustParseAddr("1.0.0.255"), Flags: 1},
			{First: netip.MustParseAddr("::"), Last: netip.MustParseAddr("::ffff"), Flags: 0},
		},
		Other: map[string]bencodex.Raw{"plugin": bencodex.Raw("d1:ai1ee")},
	}
}

// TestEncodeFlags: each flag writes its key, and only when the field is set;
// Other is written whatever the flags.
func TestEncodeFlags(t *testing.T) {
	tests := []struct {
		name  string
		st    State
		flags Flags
		want  string
	}{
		{"no flags: Other only", full(), 0, "d6:plugind1:ai1eee"},
		{"settings, unknown raw under known", full(), SaveSettings,
			"d6:plugind1:ai1ee8:settingsd1:bi1e6:futureli1ee1:ii-2147483648e1:s3:x\x00yee"},
		{"settings flag writes {} when empty", State{}, SaveSettings, "d8:settingsdee"},
		{"dht dict under 1.x names", full(), SaveDHTSettings, "d3:dhtd9:max_peersi9e9:read_onlyi0ee6:plugind1:ai1eee"},
		{"dht state", full(), SaveDHTState,
			"d9:dht stated7:node-idl24:\x01" + strings.Repeat("\x00", 19) + "\x0a\x01\x02\x03e5:nodesl6:\x0a\x00\x00\x01\x00\x0118:\x20\x01\x0d\xb8" +
				strings.Repeat("\x00", 11) + "\x01\x00\x02e6:nodes6le1:xi0ee6:plugind1:ai1eee"},
		{"extensions", full(), SaveExtensionState, "d10:extensionsd1:p5:statee6:plugind1:ai1eee"},
		{"ip filter", full(), SaveIPFilter,
			"d10:ip_filter4l12:\x01\x00\x00\x00\x01\x00\x00\xff\x00\x00\x00\x01e10:ip_filter6l36:" + strings.Repeat("\x00", 30) + "\xff\xff\x00\x00\x00\x00e6:plugind1:ai1eee"},
		{"1.0 flags that 2.0.8 no longer writes", full(), SaveProxy | SaveI2PProxy | SaveEncryptionSettings | SaveAsMap | SaveFeeds, "d6:plugind1:ai1eee"},
		{"nil fields write nothing", State{}, SaveAll &^ SaveSettings, "de"},
		{"1.x node id alone stays a 20-byte string", State{DHT: &DHTState{NodeIDs: []NodeID{{ID: [20]byte{7}}}}}, SaveDHTState,
			"d9:dht stated7:node-id20:\x07" + strings.Repeat("\x00", 19) + "ee"},
		{"an address-less id among others is 0.0.0.0", State{DHT: &DHTState{NodeIDs: []NodeID{{ID: [20]byte{7}}, {ID: [20]byte{8}, Addr: netip.MustParseAddr("::1")}}}}, SaveDHTState,
			"d9:dht stated7:node-idl24:\x07" + strings.Repeat("\x00", 23) + "36:\x08" + strings.Repeat("\x00", 34) + "\x01eee"},
		{"Other never supplies Encode's own keys", State{Other: map[string]bencodex.Raw{"settings": bencodex.Raw("i1e"), "dht": bencodex.Raw("i1e"), "ip_filter4": bencodex.Raw("i1e")}}, 0, "de"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Encode(tc.st, tc.flags)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// Everything Encode writes decodes to what it was given.
func TestEncodeDecodeRoundTrip(t *testing.T) {
	in := full()
	b, err := Encode(in, SaveAll)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Decode(b, testKinds)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Ignored) != 1 || out.Ignored[0].Key != `"settings.future"` {
		t.Errorf("ignored %v", out.Ignored)
	}
	out.Ignored = nil
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip:\n in %+v\nout %+v", in, out)
	}
}

func TestEncodeInvalid(t *testing.T) {
	v4, v6 := netip.MustParseAddr("1.2.3.4"), netip.MustParseAddr("::1")
	tests := []struct {
		name string
		st   State
	}{
		{"value without kind", State{Settings: map[string]Value{"a": {}}}},
		{"int above int32", State{Settings: map[string]Value{"a": IntValue(math.MaxInt32 + 1)}}},
		{"int below int32", State{DHTSettings: map[string]Value{"dht_max_peers": IntValue(math.MinInt32 - 1)}}},
		{"unknown dht setting", State{DHTSettings: map[string]Value{"dht_bogus": IntValue(1)}}},
		{"dht setting of the wrong kind", State{DHTSettings: map[string]Value{"dht_read_only": IntValue(1)}}},
		{"raw setting not bencode", State{UnknownSettings: map[string]bencodex.Raw{"a": bencodex.Raw("i1")}}},
		{"raw setting two values", State{UnknownSettings: map[string]bencodex.Raw{"a": bencodex.Raw("i1ei2e")}}},
		{"empty raw root key", State{Other: map[string]bencodex.Raw{"a": nil}}},
		{"raw dht state key", State{DHT: &DHTState{Other: map[string]bencodex.Raw{"a": bencodex.Raw("x")}}}},
		{"node without address", State{DHT: &DHTState{Nodes: []netip.AddrPort{{}}}}},
		{"range of two families", State{IPFilter: []IPRange{{First: v4, Last: v6}}}},
		{"reversed range", State{IPFilter: []IPRange{{First: v4, Last: netip.MustParseAddr("1.2.3.3")}}}},
		{"range without addresses", State{IPFilter: []IPRange{{}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Encode(tc.st, SaveAll)
			if !errors.Is(err, ErrInvalidState) || !wrapsSentinel(err) || b != nil {
				t.Errorf("Encode = %q, %v; want ErrInvalidState", b, err)
			}
		})
	}
}
