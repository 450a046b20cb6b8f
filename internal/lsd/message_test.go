package lsd

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func ih(b byte) InfoHash {
	var h InfoHash
	for i := range h {
		h[i] = b
	}
	return h
}

// libtorrentPacket is what libtorrent 2.0.8 sends (src/lsd.cpp's format),
// written out by hand.
const libtorrentPacket = "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\n" +
	"Infohash: 0101010101010101010101010101010101010101\r\ncookie: 1a2b3c\r\n\r\n\r\n"

func TestBuildIsLibtorrentsFormat(t *testing.T) {
	got, err := Build(6881, 0x1a2b3c, ih(1))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != libtorrentPacket {
		t.Errorf("Build:\n%q\nwant\n%q", got, libtorrentPacket)
	}
}

func TestBuildRoundTrip(t *testing.T) {
	hashes := make([]InfoHash, MaxInfoHashes)
	for i := range hashes {
		hashes[i] = ih(byte(i + 1))
	}
	b, err := Build(65535, 0xffffffff, hashes...)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 1200 {
		t.Errorf("a full packet is %d bytes", len(b))
	}
	a, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if a.Port != 65535 || !a.HasCookie || a.Cookie != 0xffffffff || len(a.InfoHashes) != MaxInfoHashes {
		t.Fatalf("parsed %+v", a)
	}
	for i, h := range a.InfoHashes {
		if h != hashes[i] {
			t.Errorf("infohash %d: %x", i, h)
		}
	}
	if _, err := Build(1, 1); !errors.Is(err, ErrNoInfoHash) {
		t.Errorf("no infohash: %v", err)
	}
	if _, err := Build(1, 1, make([]InfoHash, MaxInfoHashes+1)...); !errors.Is(err, ErrTooManyHashes) {
		t.Errorf("too many: %v", err)
	}
}

func TestParse(t *testing.T) {
	good := "0101010101010101010101010101010101010101"
	cases := []struct {
		name   string
		in     string
		err    error
		port   uint16
		hashes int
		cookie bool
	}{
		{"libtorrent", libtorrentPacket, nil, 6881, 1, true},
		// Transmission: no cookie, one empty line less.
		{"transmission", "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 51413\r\nInfohash: " + good + "\r\n\r\n", nil, 51413, 1, false},
		{"lf only, lower case", "bt-search * http/1.1\nport: 1\ninfohash: " + strings.ToUpper(good) + "\n\n", nil, 1, 1, false},
		{"bad infohash skipped", "BT-SEARCH * HTTP/1.1\r\nPort: 2\r\nInfohash: xyz\r\nInfohash: " + good + "\r\n\r\n", nil, 2, 1, false},
		{"zero infohash only", "BT-SEARCH * HTTP/1.1\r\nPort: 2\r\nInfohash: " + strings.Repeat("0", 40) + "\r\n\r\n", ErrNoInfoHash, 0, 0, false},
		{"bad cookie ignored", "BT-SEARCH * HTTP/1.1\r\nPort: 3\r\nInfohash: " + good + "\r\ncookie: nothex\r\n\r\n", nil, 3, 1, false},
		{"no port", "BT-SEARCH * HTTP/1.1\r\nInfohash: " + good + "\r\n\r\n", ErrBadPort, 0, 0, false},
		{"port 0", "BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: " + good + "\r\n\r\n", ErrBadPort, 0, 0, false},
		{"port too big", "BT-SEARCH * HTTP/1.1\r\nPort: 65536\r\nInfohash: " + good + "\r\n\r\n", ErrBadPort, 0, 0, false},
		{"not terminated", "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + good + "\r\n", ErrIncomplete, 0, 0, false},
		{"other method", "M-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + good + "\r\n\r\n", ErrNotSearch, 0, 0, false},
		{"no colon", "BT-SEARCH * HTTP/1.1\r\nPort 1\r\n\r\n", ErrBadHeader, 0, 0, false},
		{"empty", "", ErrIncomplete, 0, 0, false},
		{"too many lines", "BT-SEARCH * HTTP/1.1\r\n" + strings.Repeat("X: y\r\n", MaxHeaders+1) + "\r\n", ErrTooManyLines, 0, 0, false},
		{"too large", "BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nX: " + strings.Repeat("a", MaxPacket) + "\r\n\r\n", ErrTooLarge, 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Parse([]byte(c.in))
			if !errors.Is(err, c.err) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if err != nil {
				return
			}
			if a.Port != c.port || len(a.InfoHashes) != c.hashes || a.HasCookie != c.cookie {
				t.Errorf("parsed %+v", a)
			}
		})
	}
}

// FuzzParse: no input panics, a parsed announce keeps the limits, and
// what Build makes of it parses back the same.
func FuzzParse(f *testing.F) {
	f.Add([]byte(libtorrentPacket))
	f.Add([]byte("BT-SEARCH * HTTP/1.1\nPort: 1\nInfohash: 0101010101010101010101010101010101010101\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Parse(b)
		if err != nil {
			return
		}
		if a.Port == 0 || len(a.InfoHashes) == 0 || len(a.InfoHashes) > MaxHeaders {
			t.Fatalf("accepted %+v", a)
		}
		hashes := a.InfoHashes[:min(len(a.InfoHashes), MaxInfoHashes)]
		out, err := Build(a.Port, a.Cookie, hashes...)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(out)
		if err != nil || back.Port != a.Port || back.Cookie != a.Cookie || !bytes.Equal(flat(back.InfoHashes), flat(hashes)) {
			t.Fatalf("round trip of %+v: %+v, %v", a, back, err)
		}
	})
}

func flat(hs []InfoHash) []byte {
	var b []byte
	for _, h := range hs {
		b = append(b, h[:]...)
	}
	return b
}
