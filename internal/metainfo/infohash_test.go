package metainfo

import (
	"errors"
	"strings"
	"testing"
)

func TestInfoHash(t *testing.T) {
	const hexStr = "0123456789abcdef0123456789abcdef01234567"
	h, err := ParseInfoHash(strings.ToUpper(hexStr))
	if err != nil {
		t.Fatal(err)
	}
	if h.String() != hexStr || len(h.Bytes()) != 20 || h.Bytes()[0] != 0x01 {
		t.Fatalf("String = %s", h)
	}
	b := h.Bytes()
	b[0] = 0xff
	if h[0] != 0x01 {
		t.Fatal("Bytes must return a copy")
	}
	b32, err := ParseInfoHash("aerukz4jvpg66ajdivtytk6n54asgrlh")
	if err != nil || b32 != h {
		t.Fatalf("base32: %v %v", b32, err)
	}
	for _, bad := range []string{"", "xyz", strings.Repeat("g", 40), strings.Repeat("1", 41), strings.Repeat("!", 32)} {
		if _, err := ParseInfoHash(bad); !errors.Is(err, ErrInvalidInfoHash) {
			t.Errorf("ParseInfoHash(%q) err = %v", bad, err)
		}
	}
}

func TestFromInfoBytes(t *testing.T) {
	m, err := Parse(torrentBytes(t, singleInfo(), nil))
	if err != nil {
		t.Fatal(err)
	}
	got, err := FromInfoBytes(m.InfoBytes)
	if err != nil {
		t.Fatal(err)
	}
	if got.InfoHash != m.InfoHash || got.Info.TotalLength != m.Info.TotalLength || got.Info.Name != m.Info.Name {
		t.Errorf("FromInfoBytes = %x %d %q, want %x %d %q", got.InfoHash, got.Info.TotalLength, got.Info.Name,
			m.InfoHash, m.Info.TotalLength, m.Info.Name)
	}
	for _, bad := range [][]byte{nil, []byte("d4:name"), []byte("le"), append(append([]byte{}, m.InfoBytes...), 'x')} {
		if _, err := FromInfoBytes(bad); !errors.Is(err, ErrInvalidTorrent) {
			t.Errorf("FromInfoBytes(%q) = %v, want ErrInvalidTorrent", bad, err)
		}
	}
}
