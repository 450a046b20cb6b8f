package magnet

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/metainfo"
)

const (
	hexIH    = "c9e15763f722f23e98a29decdfae341b98d53056"
	base32IH = "ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMCW" // the same 20 bytes
	v2Hex    = "d8dd32ac93357c368556af3ac1d95c9d76bd0dff6fa9833ecdac3d53134efabb"
)

func ih(t *testing.T, s string) metainfo.InfoHash {
	t.Helper()
	h, err := metainfo.ParseInfoHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		uri  string
		want Magnet
	}{
		{"hex", "magnet:?xt=urn:btih:" + hexIH, Magnet{InfoHash: ih(t, hexIH), HasV1: true}},
		{"upper hex", "magnet:?xt=urn:btih:" + strings.ToUpper(hexIH), Magnet{InfoHash: ih(t, hexIH), HasV1: true}},
		{"base32", "magnet:?xt=urn:btih:" + base32IH, Magnet{InfoHash: ih(t, hexIH), HasV1: true}},
		{"base32 lower", "magnet:?xt=urn:btih:" + strings.ToLower(base32IH), Magnet{InfoHash: ih(t, hexIH), HasV1: true}},
		{"scheme and urn case", "MAGNET:?xt=URN:BTIH:" + hexIH, Magnet{InfoHash: ih(t, hexIH), HasV1: true}},
		{"escaped xt", "magnet:?xt=urn%3Abtih%3A" + hexIH, Magnet{InfoHash: ih(t, hexIH), HasV1: true}},
		{
			"everything",
			"magnet:?xt=urn:btih:" + hexIH + "&dn=My+File%20%C3%A9&tr=udp%3A%2F%2Ft1%3A80&tr=http://t2/ann&tr=udp%3a%2f%2ft1%3a80" +
				"&ws=http%3A%2F%2Fseed%2Ff&x.pe=1.2.3.4:6881&x.pe=[2001:db8::1]:51413&x.pe=Peer.Example:1&so=4-6,0,2,5&foo=bar",
			Magnet{
				InfoHash: ih(t, hexIH), HasV1: true,
				DisplayName: "My File é",
				Trackers:    []string{"udp://t1:80", "http://t2/ann"},
				WebSeeds:    []string{"http://seed/f"},
				Peers:       []string{"1.2.3.4:6881", "[2001:db8::1]:51413", "peer.example:1"},
				SelectOnly:  []FileRange{{0, 0}, {2, 2}, {4, 6}},
			},
		},
		{"tr.N suffix", "magnet:?xt=urn:btih:" + hexIH + "&tr.1=a&tr.2=b&tr.x=c", Magnet{InfoHash: ih(t, hexIH), HasV1: true, Trackers: []string{"a", "b"}}},
		{"first btih wins", "magnet:?xt=urn:btih:" + hexIH + "&xt=urn:btih:" + strings.Repeat("0", 40) + "&xt=urn:btih:bad", Magnet{InfoHash: ih(t, hexIH), HasV1: true}},
		{"other urns ignored", "magnet:?xt=urn:sha1:XYZ&xt=urn:ed2k:abc&xt=urn:btih:" + hexIH, Magnet{InfoHash: ih(t, hexIH), HasV1: true}},
		{"bad optional values dropped", "magnet:?xt=urn:btih:" + hexIH + "&tr=%zz&tr=&ws=%&x.pe=nope&x.pe=1.2.3.4:0&x.pe=[fe80::1%25eth0]:1&x.pe=a%20b:1&so=1,x&so=3-1,-2,5-,7,99999&dn=%g",
			Magnet{InfoHash: ih(t, hexIH), HasV1: true, SelectOnly: []FileRange{{7, 7}}}},
		{"mapped v4 peer unmapped", "magnet:?xt=urn:btih:" + hexIH + "&x.pe=[::ffff:1.2.3.4]:80&x.pe=1.2.3.4:80", Magnet{InfoHash: ih(t, hexIH), HasV1: true, Peers: []string{"1.2.3.4:80"}}},
		{"so merge adjacent", "magnet:?xt=urn:btih:" + hexIH + "&so=0-2&so=3,5,4", Magnet{InfoHash: ih(t, hexIH), HasV1: true, SelectOnly: []FileRange{{0, 5}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.uri)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseV2(t *testing.T) {
	m, err := Parse("magnet:?xt=urn:btmh:1220" + v2Hex + "&dn=x")
	if err != nil {
		t.Fatal(err)
	}
	if m.HasV1 || !m.HasV2 || m.DisplayName != "x" {
		t.Fatalf("got %+v", m)
	}
	if got := m.String(); got != "magnet:?xt=urn:btmh:1220"+v2Hex+"&dn=x" {
		t.Fatalf("String = %s", got)
	}
	hybrid := "magnet:?xt=urn:btih:" + hexIH + "&xt=urn:btmh:1220" + v2Hex
	m, err = Parse(hybrid)
	if err != nil || !m.HasV1 || !m.HasV2 || m.String() != hybrid {
		t.Fatalf("hybrid: %+v %v %s", m, err, m.String())
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		uri  string
		want error
	}{
		{"empty", "", ErrNotMagnet},
		{"http", "http://example.com/?xt=urn:btih:" + hexIH, ErrNotMagnet},
		{"no query", "magnet:xt=urn:btih:" + hexIH, ErrNotMagnet},
		{"no xt", "magnet:?dn=x&tr=udp://t:1", ErrNoInfoHash},
		{"only other urns", "magnet:?xt=urn:sha1:abc", ErrNoInfoHash},
		{"short hex", "magnet:?xt=urn:btih:" + hexIH[:39], ErrBadInfoHash},
		{"non-hex", "magnet:?xt=urn:btih:" + strings.Repeat("g", 40), ErrBadInfoHash},
		{"bad base32", "magnet:?xt=urn:btih:" + strings.Repeat("1", 32), ErrBadInfoHash},
		{"padded base32", "magnet:?xt=urn:btih:" + base32IH[:24] + "========", ErrBadInfoHash},
		{"empty btih", "magnet:?xt=urn:btih:", ErrBadInfoHash},
		{"btmh not sha256", "magnet:?xt=urn:btmh:1114" + v2Hex[:40], ErrBadInfoHash},
		{"btmh short", "magnet:?xt=urn:btmh:1220" + v2Hex[:62], ErrBadInfoHash},
		{"btmh non-hex", "magnet:?xt=urn:btmh:1220" + strings.Repeat("z", 64), ErrBadInfoHash},
		{"too long", "magnet:?xt=urn:btih:" + hexIH + "&dn=" + strings.Repeat("a", MaxLength), ErrTooLong},
		{"too many params", "magnet:?xt=urn:btih:" + hexIH + strings.Repeat("&a", MaxParams), ErrTooManyParams},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.uri)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestStringLibtorrentCompatible(t *testing.T) {
	m := Magnet{
		InfoHash: ih(t, hexIH), HasV1: true,
		DisplayName: "Debian 12 (amd64) [x].iso",
		Trackers:    []string{"udp://tracker.example:6969/announce", "http://t2.example/a?b=c&d"},
		WebSeeds:    []string{"https://seed.example/f"},
	}
	// What libtorrent's make_magnet_uri writes for the same torrent.
	want := "magnet:?xt=urn:btih:" + hexIH +
		"&dn=Debian%2012%20(amd64)%20%5bx%5d.iso" +
		"&tr=udp%3a%2f%2ftracker.example%3a6969%2fannounce" +
		"&tr=http%3a%2f%2ft2.example%2fa%3fb%3dc%26d" +
		"&ws=https%3a%2f%2fseed.example%2ff"
	if got := m.String(); got != want {
		t.Fatalf("String:\n got %s\nwant %s", got, want)
	}
	back, err := Parse(want)
	if err != nil || !reflect.DeepEqual(back, m) {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}

func TestRoundTrip(t *testing.T) {
	uris := []string{
		"magnet:?xt=urn:btih:" + hexIH,
		"magnet:?xt=urn:btih:" + hexIH + "&dn=%00%ff%20+&tr=a&tr=b&ws=c&x.pe=[::1]:1&x.pe=h:2&so=0,3-9",
		"magnet:?xt=urn:btih:" + base32IH + "&xt=urn:btmh:1220" + v2Hex + "&so=1",
	}
	for _, u := range uris {
		m, err := Parse(u)
		if err != nil {
			t.Fatalf("Parse(%q): %v", u, err)
		}
		s := m.String()
		m2, err := Parse(s)
		if err != nil || !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip of %q via %q: %+v, %v", u, s, m2, err)
		}
		if s2 := m2.String(); s2 != s {
			t.Fatalf("String not stable: %q then %q", s, s2)
		}
	}
}

func TestSelectedAndPeerAddrs(t *testing.T) {
	m, err := Parse("magnet:?xt=urn:btih:" + hexIH + "&so=1,3-4&x.pe=1.2.3.4:5&x.pe=host:6&x.pe=[::1]:7")
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, true, false, true, true, false} {
		if got := m.Selected(i); got != want {
			t.Errorf("Selected(%d) = %v", i, got)
		}
	}
	if !(Magnet{}).Selected(42) {
		t.Error("no so= must select every file")
	}
	want := []netip.AddrPort{netip.MustParseAddrPort("1.2.3.4:5"), netip.MustParseAddrPort("[::1]:7")}
	if got := m.PeerAddrs(); !reflect.DeepEqual(got, want) {
		t.Fatalf("PeerAddrs = %v", got)
	}
}
