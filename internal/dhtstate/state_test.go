package dhtstate

import (
	"net/netip"
	"testing"

	"github.com/actorrent/actorrent/internal/sessionstate"
)

func TestStateRoundTripsThroughTheCodec(t *testing.T) {
	id := [20]byte{1, 2, 3}
	nodes := []Node{
		{Addr: netip.MustParseAddrPort("127.0.0.2:6881")},
		{Addr: netip.MustParseAddrPort("[::ffff:10.0.0.1]:1")},
		{Addr: netip.MustParseAddrPort("[2001:db8::1]:7000")},
		{Addr: netip.MustParseAddrPort("1.2.3.4:0")}, // no port: not saved
	}
	st := StateOf(id, netip.MustParseAddr("127.0.0.1"), nodes)
	raw, err := sessionstate.Encode(sessionstate.State{DHT: st}, sessionstate.SaveDHTState)
	if err != nil {
		t.Fatal(err)
	}
	back, err := sessionstate.Decode(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := IDFor(back.DHT, netip.MustParseAddr("127.0.0.1"))
	if !ok || got != id {
		t.Fatalf("id = %x %v", got, ok)
	}
	want := []netip.AddrPort{
		netip.MustParseAddrPort("127.0.0.2:6881"), netip.MustParseAddrPort("10.0.0.1:1"),
		netip.MustParseAddrPort("[2001:db8::1]:7000"),
	}
	ns := NodesOf(back.DHT)
	if len(ns) != len(want) {
		t.Fatalf("nodes = %v", ns)
	}
	for i := range want {
		if ns[i] != want[i] {
			t.Fatalf("nodes = %v, want %v", ns, want)
		}
	}
}

func TestIDForPicksTheAddressThenAnUnboundOne(t *testing.T) {
	a, b, c := [20]byte{0xa}, [20]byte{0xb}, [20]byte{0xc}
	st := &sessionstate.DHTState{NodeIDs: []sessionstate.NodeID{
		{ID: a, Addr: netip.MustParseAddr("10.0.0.1")},
		{ID: b, Addr: netip.IPv4Unspecified()},
		{ID: c, Addr: netip.MustParseAddr("::1")},
	}}
	for _, tc := range []struct {
		local string
		want  [20]byte
	}{{"10.0.0.1", a}, {"::1", c}, {"192.168.1.1", b}, {"::2", b}} {
		if got, _ := IDFor(st, netip.MustParseAddr(tc.local)); got != tc.want {
			t.Errorf("IDFor(%s) = %x, want %x", tc.local, got, tc.want)
		}
	}
	if _, ok := IDFor(&sessionstate.DHTState{}, netip.MustParseAddr("::1")); ok {
		t.Error("an id from a state without one")
	}
	// 1.x: one id without an address.
	one := &sessionstate.DHTState{NodeIDs: []sessionstate.NodeID{{ID: a}}}
	if got, _ := IDFor(one, netip.MustParseAddr("10.9.9.9")); got != a {
		t.Errorf("1.x id not used")
	}
}

func TestNodesOfDropsDuplicatesAndUnusable(t *testing.T) {
	st := &sessionstate.DHTState{
		Nodes:  []netip.AddrPort{netip.MustParseAddrPort("1.1.1.1:1"), netip.MustParseAddrPort("0.0.0.0:5"), netip.MustParseAddrPort("1.1.1.1:1")},
		Nodes6: []netip.AddrPort{netip.MustParseAddrPort("[::ffff:1.1.1.1]:1"), netip.MustParseAddrPort("[::1]:0")},
	}
	if got := NodesOf(st); len(got) != 1 {
		t.Fatalf("NodesOf = %v", got)
	}
}

func TestBuckets(t *testing.T) {
	self := [20]byte{0x80}
	ids := [][20]byte{{0x00}, {0x01}, {0xc0}, {0x80, 0x01}, self}
	got := Buckets(self, ids)
	// 0x00,0x01: bucket 0; 0xc0: bucket 1; 0x80 0x01: bucket 15.
	if len(got) != 16 || got[0].Nodes != 2 || got[1].Nodes != 1 || got[15].Nodes != 1 || got[5].Nodes != 0 {
		t.Fatalf("Buckets = %v", got)
	}
	if len(Buckets(self, nil)) != 0 {
		t.Fatal("buckets with no node")
	}
}

func TestSettingsApplyAndValues(t *testing.T) {
	d := DefaultSettings()
	vals := d.Values()
	if len(vals) != 18 {
		t.Fatalf("%d fields, 1.x dht_settings has 18 saved", len(vals))
	}
	var s Settings
	if applied := s.Apply(vals); len(applied) != 18 || s != d {
		t.Fatalf("round trip: %d applied, %+v", len(applied), s)
	}
	applied := s.Apply(map[string]sessionstate.Value{
		"dht_read_only": sessionstate.BoolValue(true), "dht_max_peers": sessionstate.StringValue("x"),
	})
	if len(applied) != 1 || !s.ReadOnly || s.MaxPeers != 500 {
		t.Fatalf("applied %v: %+v", applied, s)
	}
	if !IsField("dht_max_torrents") || IsField("dht_upload_rate_limit") {
		t.Fatal("IsField")
	}
}
