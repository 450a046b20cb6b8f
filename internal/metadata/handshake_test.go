package metadata

import (
	"errors"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/actorrent/actorrent/internal/bencodex"
)

func TestParseExtHandshake(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want ExtHandshake
	}{
		{
			"libtorrent-like",
			"d1:md11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei31235e1:pi6881e4:reqqi500e1:v18:libtorrent/2.0.8.06:yourip4:\x7f\x00\x00\x01e",
			ExtHandshake{
				M:            map[string]uint8{"ut_metadata": 2, "ut_pex": 1},
				MetadataSize: 31235, P: 6881, Reqq: 500, V: "libtorrent/2.0.8.0",
				YourIP: netip.MustParseAddr("127.0.0.1"),
			},
		},
		{"empty dict", "de", ExtHandshake{}},
		{"disabled extension", "d1:md11:ut_metadatai0eee", ExtHandshake{M: map[string]uint8{"ut_metadata": 0}}},
		{
			"wrong types and ranges ignored",
			"d1:md1:ai256e1:bi-1e1:c1:x1:di3ee13:metadata_size3:abc1:pi70000e4:reqqi0e1:vi5e6:yourip3:abce",
			ExtHandshake{M: map[string]uint8{"d": 3}},
		},
		{"m not a dict", "d1:mli1eee", ExtHandshake{M: map[string]uint8{}}},
		{"ipv6 yourip", "d6:yourip16:\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01e", ExtHandshake{YourIP: netip.MustParseAddr("2001:db8::1")}},
		{"mapped yourip unmapped", "d6:yourip16:\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x01\x02\x03\x04e", ExtHandshake{YourIP: netip.MustParseAddr("1.2.3.4")}},
		{"first duplicate wins", "d1:pi1e1:pi2ee", ExtHandshake{P: 1}},
		{"trailing bytes tolerated", "d1:pi9eeGARBAGE", ExtHandshake{P: 9}},
		{"reqq capped", "d4:reqqi99999999ee", ExtHandshake{Reqq: MaxReqq}},
		{"long v truncated", "d1:v300:" + strings.Repeat("v", 300) + "e", ExtHandshake{V: strings.Repeat("v", MaxClientLen)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseExtHandshake([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseExtHandshakeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrMalformed},
		{"list", "le", ErrMalformed},
		{"truncated", "d1:md11:ut_metadatai2e", ErrMalformed},
		{"too deep", strings.Repeat("d1:a", 20) + "i1e" + strings.Repeat("e", 20), ErrMalformed},
		{"too large", "d1:v" + "70000:" + strings.Repeat("x", 70000) + "e", ErrTooLarge},
	} {
		if _, err := ParseExtHandshake([]byte(tc.in)); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestExtHandshakeManyExtensionsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("d1:md")
	for i := 0; i < MaxExtensions+50; i++ {
		name := "x" + strings.Repeat("y", i%10) + string(rune('a'+i%26)) + string(rune('a'+i/26))
		b.WriteString(strconv.Itoa(len(name)) + ":" + name + "i1e")
	}
	b.WriteString("ee")
	h, err := ParseExtHandshake([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.M) != MaxExtensions {
		t.Fatalf("kept %d extensions, want %d", len(h.M), MaxExtensions)
	}
}

func TestAppendExtHandshake(t *testing.T) {
	h := ExtHandshake{
		M:            map[string]uint8{"ut_pex": 1, "ut_metadata": UTMetadataID, "lt_donthave": 7},
		MetadataSize: 12345, P: 51413, Reqq: 250, V: "actorrent/0.1",
		YourIP: netip.MustParseAddr("::ffff:10.0.0.1"),
	}
	got := AppendExtHandshake([]byte("prefix"), h)
	want := "prefix" + "d1:md11:lt_donthavei7e11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei12345e1:pi51413e4:reqqi250e1:v13:actorrent/0.16:yourip4:\x0a\x00\x00\x01e"
	if string(got) != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	// It is canonical bencode: the general decoder agrees.
	var generic map[string]any
	if err := bencodex.Unmarshal(got[len("prefix"):], &generic, bencodex.Limits{}); err != nil {
		t.Fatal(err)
	}
	back, err := ParseExtHandshake(got[len("prefix"):])
	if err != nil {
		t.Fatal(err)
	}
	h.YourIP = h.YourIP.Unmap()
	if !reflect.DeepEqual(back, h) {
		t.Fatalf("round trip: %+v", back)
	}
	if got := string(AppendExtHandshake(nil, ExtHandshake{})); got != "d1:mdee" {
		t.Fatalf("empty handshake = %q", got)
	}
	if id, ok := back.ID(ExtUTMetadata); !ok || id != UTMetadataID {
		t.Fatalf("ID = %d, %v", id, ok)
	}
	if _, ok := (ExtHandshake{M: map[string]uint8{"ut_pex": 0}}).ID(ExtUTPex); ok {
		t.Fatal("id 0 reported as supported")
	}
}

// upload_only (BEP 21) goes out in key order and comes back.
func TestExtHandshakeUploadOnly(t *testing.T) {
	b := AppendExtHandshake(nil, ExtHandshake{M: map[string]uint8{"ut_pex": 1}, Reqq: 5, UploadOnly: true, V: "x"})
	if want := "d1:md6:ut_pexi1ee4:reqqi5e11:upload_onlyi1e1:v1:xe"; string(b) != want {
		t.Fatalf("got %s\nwant %s", b, want)
	}
	h, err := ParseExtHandshake(b)
	if err != nil || !h.UploadOnly {
		t.Fatalf("parsed %+v, %v", h, err)
	}
	if h, _ := ParseExtHandshake([]byte("d11:upload_onlyi0ee")); h.UploadOnly {
		t.Fatal("upload_only 0 read as set")
	}
}

// share_mode (libtorrent's) goes out between reqq and upload_only and
// comes back; 0 is not set.
func TestExtHandshakeShareMode(t *testing.T) {
	b := AppendExtHandshake(nil, ExtHandshake{M: map[string]uint8{"share_mode": 8}, Reqq: 5, ShareMode: true, UploadOnly: true})
	if want := "d1:md10:share_modei8ee4:reqqi5e10:share_modei1e11:upload_onlyi1ee"; string(b) != want {
		t.Fatalf("got %s\nwant %s", b, want)
	}
	h, err := ParseExtHandshake(b)
	if err != nil || !h.ShareMode {
		t.Fatalf("parsed %+v, %v", h, err)
	}
	if h, _ := ParseExtHandshake([]byte("d10:share_modei0ee")); h.ShareMode {
		t.Fatal("share_mode 0 read as set")
	}
}
