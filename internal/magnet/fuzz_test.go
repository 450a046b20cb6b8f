package magnet

import (
	"errors"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error wraps one of
// the sentinels, and that whatever parses formats to a URI that parses back
// to the same value and formats identically (String is canonical).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"magnet:?xt=urn:btih:" + hexIH + "&dn=name&tr=udp%3a%2f%2ft%3a1",
		"magnet:?xt=urn:btih:" + base32IH + "&x.pe=[::1]:1&x.pe=1.2.3.4:5&so=0,2-4",
		"magnet:?xt=urn:btmh:1220" + v2Hex,
		"magnet:?xt=urn:btih:" + hexIH + "&tr.1=a&tr.2=a&ws=%zz&so=9-1,",
		"magnet:?xt=urn:btih:xyz",
		"magnet:?dn=only",
		"magnet:?&&&=&xt",
		"http://example.com/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		m, err := Parse(uri)
		if err != nil {
			for _, s := range []error{ErrNotMagnet, ErrNoInfoHash, ErrBadInfoHash, ErrTooLong, ErrTooManyParams} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		s := m.String()
		if len(s) > MaxLength {
			return // escaping can triple a value's length
		}
		m2, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(String()) of %q: %v (String %q)", uri, err, s)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip differs:\n%+v\n%+v\nvia %q", m, m2, s)
		}
		if s2 := m2.String(); s2 != s {
			t.Fatalf("String not canonical: %q then %q", s, s2)
		}
	})
}
