package pex

import (
	"bytes"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func TestEncodeDecodeRoundTrip(t *testing.T) {
	m := Message{
		Added: []Peer{
			{ap("10.0.0.1:6881"), FlagSeed | FlagOutgoing},
			{ap("[2001:db8::1]:51413"), FlagUTP},
			{ap("1.2.3.4:1"), 0},
		},
		Dropped: []netip.AddrPort{ap("5.6.7.8:9"), ap("[2001:db8::2]:80")},
	}
	b := Encode(m)
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	// Decode lists IPv4 before IPv6.
	want := Message{
		Added:   []Peer{m.Added[0], m.Added[2], m.Added[1]},
		Dropped: m.Dropped,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

// The bytes are what libtorrent writes: every key, sorted, compact peers.
func TestEncodeBytes(t *testing.T) {
	b := Encode(Message{Added: []Peer{{ap("1.2.3.4:258"), FlagSeed}}, Dropped: []netip.AddrPort{ap("5.6.7.8:1")}})
	want := "d5:added6:\x01\x02\x03\x04\x01\x027:added.f1:\x026:added60:8:added6.f0:7:dropped6:\x05\x06\x07\x08\x00\x018:dropped60:e"
	if string(b) != want {
		t.Fatalf("got %q\nwant %q", b, want)
	}
}

func TestDecodeLenient(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		want Message
	}{
		{"flags not matching: added ignored", "d5:added6:\x01\x02\x03\x04\x00\x017:added.f2:\x00\x00e", Message{}},
		{"no flags: added ignored", "d5:added6:\x01\x02\x03\x04\x00\x01e", Message{}},
		{"port 0 and 0.0.0.0 skipped", "d5:added12:\x01\x02\x03\x04\x00\x00\x00\x00\x00\x00\x00\x017:added.f2:\x00\x00e", Message{}},
		{"a partial dropped entry ignored", "d7:dropped8:\x01\x02\x03\x04\x00\x01\x09\x09e",
			Message{Dropped: []netip.AddrPort{ap("1.2.3.4:1")}}},
		{"unknown keys and non-strings ignored", "d1:xi3e5:addedi4e7:dropped0:e", Message{}},
		{"empty dict", "de", Message{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want error
	}{
		{"not a dict", []byte("le"), ErrInvalid},
		{"truncated", []byte("d5:added"), ErrInvalid},
		{"garbage", []byte("\xff\xfe"), ErrInvalid},
		{"empty", nil, ErrInvalid},
		{"too large", append(append([]byte("d1:x"), []byte(strings.Repeat("1", 7))...), bytes.Repeat([]byte{'a'}, MaxMessageSize)...), ErrTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.in); !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
		})
	}
}
