package magnet

import (
	"encoding/hex"
	"strings"
)

// String formats m the way libtorrent's make_magnet_uri does:
//
//	magnet:?xt=urn:btih:<hex>[&xt=urn:btmh:1220<hex>][&dn=..][&tr=..]...[&ws=..]...
//
// followed by our additions, x.pe peers and "so". Values are %-escaped with
// libtorrent's escape_string rules (lower-case hex; only letters, digits
// and -_!.~*() left as they are), so Parse(m.String()) gives m back.
func (m Magnet) String() string {
	var b strings.Builder
	b.WriteString("magnet:?")
	sep := false
	param := func(name string) {
		if sep {
			b.WriteByte('&')
		}
		sep = true
		b.WriteString(name)
		b.WriteByte('=')
	}
	if m.HasV1 {
		param("xt")
		b.WriteString("urn:btih:")
		b.WriteString(m.InfoHash.String())
	}
	if m.HasV2 {
		param("xt")
		b.WriteString("urn:btmh:1220")
		b.WriteString(hex.EncodeToString(m.InfoHashV2[:]))
	}
	if m.DisplayName != "" {
		param("dn")
		escape(&b, m.DisplayName)
	}
	for _, t := range m.Trackers {
		param("tr")
		escape(&b, t)
	}
	for _, w := range m.WebSeeds {
		param("ws")
		escape(&b, w)
	}
	for _, p := range m.Peers {
		param("x.pe")
		escape(&b, p)
	}
	if len(m.SelectOnly) > 0 {
		param("so")
		formatRanges(&b, m.SelectOnly)
	}
	return b.String()
}

// escape is libtorrent's escape_string. Note that ':' and '/' are escaped
// too ("udp%3a%2f%2f..."), exactly as libtorrent writes tracker URLs.
func escape(b *strings.Builder, s string) {
	const hexDigits = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
}

func unreserved(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-_!.~*()", c) >= 0
}
