package bencodex

import (
	"bytes"
	"errors"
	"testing"
)

// fuzzSeeds are shared by both fuzz targets: torrent-like dicts, bombs, huge
// declared lengths and non-canonical integers.
var fuzzSeeds = []string{
	"d8:announce20:http://t.example/ann4:infod6:lengthi5e4:name5:a.txt12:piece lengthi16384e6:pieces20:01234567890123456789ee",
	"d4:infod5:filesld6:lengthi1e4:pathl1:aeed6:lengthi2e4:pathl1:b1:ceee4:name3:dir12:piece lengthi16384e6:pieces20:abcdefghijklmnopqrstee",
	string(bytes.Repeat([]byte("l"), 10000)),
	string(bytes.Repeat([]byte("d1:a"), 200)) + "i1e" + string(bytes.Repeat([]byte("e"), 200)),
	"999999999:x",
	"99999999999999999999999:",
	"i03e", "i-0e", "i9223372036854775808e", "d1:bi1e1:ai2ee", "di1ei2ee", "i1eTRAILING",
}

func FuzzScan(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxDepth: 20, MaxStringLen: 1 << 16, MaxItems: 5000, AllowTrailing: true}
		end, err := Scan(data, lim)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error wraps no sentinel: %v", err)
			}
			return
		}
		if end <= 0 || end > len(data) {
			t.Fatalf("end %d out of range for %d bytes", end, len(data))
		}
		// The first value, scanned alone, must be accepted exactly.
		lim.AllowTrailing = false
		if end2, err := Scan(data[:end], lim); err != nil || end2 != end {
			t.Fatalf("rescan of prefix = %d, %v; want %d", end2, err, end)
		}
		// Dict walking must agree with Scan.
		if data[0] == 'd' {
			if _, err := DictEach(data[:end], func(string, []byte) (bool, error) { return true, nil }); err != nil {
				t.Fatalf("DictEach on scanned dict: %v", err)
			}
		}
	})
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxDepth: 20, MaxStringLen: 1 << 16, MaxItems: 5000}
		var m map[string]any
		if err := Unmarshal(data, &m, lim); err != nil && !isSentinel(err) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		var v any
		err := Unmarshal(data, &v, lim)
		if err != nil && !isSentinel(err) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if err == nil {
			// Whatever decoded must re-encode (anacrolix sorts keys).
			if _, err := Marshal(v); err != nil {
				t.Fatalf("re-marshal: %v", err)
			}
		}
	})
}

func isSentinel(err error) bool {
	for _, s := range []error{ErrSyntax, ErrTooDeep, ErrTooLarge, ErrTooManyItems, ErrStringTooLong, ErrTrailing, ErrIntOverflow, ErrDecode} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
