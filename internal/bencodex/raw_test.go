package bencodex

import (
	"errors"
	"testing"
)

func TestDictValue(t *testing.T) {
	data := []byte("d8:announce3:url4:infod4:name1:ae1:zli1eee")
	tests := []struct {
		key    string
		want   string
		wantOK bool
	}{
		{"info", "d4:name1:ae", true},
		{"announce", "3:url", true},
		{"z", "li1ee", true},
		{"missing", "", false},
		{"name", "", false}, // nested keys are not top-level
	}
	for _, tc := range tests {
		raw, ok, err := DictValue(data, tc.key)
		if err != nil || ok != tc.wantOK || string(raw) != tc.want {
			t.Errorf("DictValue(%q) = %q, %v, %v; want %q, %v", tc.key, raw, ok, err, tc.want, tc.wantOK)
		}
	}
	if _, ok, err := DictValue([]byte("li1ee"), "a"); ok || err != nil {
		t.Errorf("non-dict: ok=%v err=%v", ok, err)
	}
	if raw, _, _ := DictValue([]byte("d1:ai1e1:ai2ee"), "a"); string(raw) != "i1e" {
		t.Errorf("duplicate key: got %q, want first occurrence", raw)
	}
	if _, _, err := DictValue([]byte("d1:ai1e"), "b"); !errors.Is(err, ErrSyntax) {
		t.Errorf("truncated: err = %v", err)
	}
	if _, _, err := DictValue([]byte("di1ei1ee"), "b"); !errors.Is(err, ErrSyntax) {
		t.Errorf("int key: err = %v", err)
	}
}

func TestListEach(t *testing.T) {
	var got []string
	isList, err := ListEach([]byte("l1:ai2eli3eee"), func(raw []byte) (bool, error) {
		got = append(got, string(raw))
		return true, nil
	})
	if !isList || err != nil || len(got) != 3 || got[2] != "li3ee" {
		t.Fatalf("ListEach = %v %v %q", isList, err, got)
	}
	stop := errors.New("stop")
	if _, err := ListEach([]byte("li1ei2ee"), func([]byte) (bool, error) { return false, stop }); err != stop {
		t.Fatalf("callback error not returned: %v", err)
	}
	if isList, _ := ListEach([]byte("i1e"), nil); isList {
		t.Fatal("int reported as list")
	}
}

func TestStringInt(t *testing.T) {
	if s, ok := String([]byte("3:abc")); !ok || string(s) != "abc" {
		t.Errorf("String = %q %v", s, ok)
	}
	for _, bad := range []string{"", "i1e", "3:ab", "3:abcd", "le"} {
		if _, ok := String([]byte(bad)); ok {
			t.Errorf("String(%q) ok", bad)
		}
	}
	if n, ok := Int([]byte("i-12e")); !ok || n != -12 {
		t.Errorf("Int = %d %v", n, ok)
	}
	for _, bad := range []string{"", "1:a", "i1ee", "i9223372036854775808e", "i-e", "ie"} {
		if _, ok := Int([]byte(bad)); ok {
			t.Errorf("Int(%q) ok", bad)
		}
	}
	// The walkers read what a lenient Scan let through; a strict Scan
	// keeps non-canonical input from ever reaching them elsewhere.
	if s, ok := String([]byte("03:abc")); !ok || string(s) != "abc" {
		t.Errorf("String(03:abc) = %q %v", s, ok)
	}
	for in, want := range map[string]int64{"i01e": 1, "i-0e": 0, "i-007e": -7} {
		if n, ok := Int([]byte(in)); !ok || n != want {
			t.Errorf("Int(%s) = %d %v", in, n, ok)
		}
	}
}

// TestScanNonCanonical: leading zeros and "-0" are syntax errors unless
// AllowNonCanonical, which libtorrent's bdecode behaves like.
func TestScanNonCanonical(t *testing.T) {
	for _, in := range []string{"i03e", "i-0e", "03:abc", "d03:abci1ee", "li00ee"} {
		if _, err := Scan([]byte(in), DefaultLimits); !errors.Is(err, ErrSyntax) {
			t.Errorf("strict Scan(%q) = %v", in, err)
		}
		lim := DefaultLimits
		lim.AllowNonCanonical = true
		if end, err := Scan([]byte(in), lim); err != nil || end != len(in) {
			t.Errorf("lenient Scan(%q) = %d, %v", in, end, err)
		}
	}
}
