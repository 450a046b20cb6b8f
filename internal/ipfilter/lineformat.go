package ipfilter

import (
	"bytes"
	"net/netip"
)

// lineKind says what a blocklist line held.
type lineKind uint8

const (
	lineBlank   lineKind = iota // blank or a comment
	lineRule                    // a range to block
	lineIgnored                 // an eMule line whose level (128 or more) does not block
	lineBad                     // malformed
)

// emuleBlockBelow is the eMule access level from which a range is not
// blocked: eMule's default filter level is 127 and it blocks ranges whose
// level is below its own, and qBittorrent and libtorrent-based clients read
// .dat files the same way.
const emuleBlockBelow = 128

// parseLine reads one line, without its line break, in whichever format it
// is written:
//
//	eMule .dat   001.002.003.004 - 001.002.003.255 , 000 , description
//	P2P          description:1.2.3.4-1.2.3.255   (or IPv6 ends)
//	CIDR         1.2.3.0/24, 2001:db8::/32, or a single address
//
// Lines starting with # or // are comments. The format is decided per line,
// so files that mix formats (merged lists) load whole: a line with a comma
// whose first field is a range is eMule's, else a line with a dash is P2P,
// else it is CIDR. On lineRule and lineIgnored first and last are the
// range, normalized as AddRule does.
func parseLine(line []byte) (first, last netip.Addr, kind lineKind) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] == '#' || bytes.HasPrefix(line, []byte("//")) {
		return first, last, lineBlank
	}
	var ok bool
	level := 0
	if bytes.IndexByte(line, ',') >= 0 {
		first, last, level, ok = parseDAT(line)
	}
	if !ok {
		if bytes.IndexByte(line, '-') >= 0 {
			first, last, ok = parseP2P(line)
		} else {
			first, last, ok = parseCIDR(line)
		}
	}
	if !ok {
		return first, last, lineBad
	}
	if first, last, ok = normalRange(first, last); !ok {
		return first, last, lineBad
	}
	if level >= emuleBlockBelow {
		return first, last, lineIgnored
	}
	return first, last, lineRule
}

// parseDAT reads an eMule ipfilter.dat line: "first - last , level ,
// description". The level and description are optional; a level that is
// not a number is taken as absent (level 0, blocked), as qBittorrent does.
// Levels above 999 read as 999.
func parseDAT(line []byte) (first, last netip.Addr, level int, ok bool) {
	rng, rest, hasRest := bytes.Cut(line, []byte(","))
	a, b, found := bytes.Cut(rng, []byte("-"))
	if !found || bytes.IndexByte(b, '-') >= 0 {
		return first, last, 0, false
	}
	if first, ok = parseAddr(bytes.TrimSpace(a)); !ok {
		return first, last, 0, false
	}
	if last, ok = parseAddr(bytes.TrimSpace(b)); !ok {
		return first, last, 0, false
	}
	if hasRest {
		lv, _, _ := bytes.Cut(rest, []byte(","))
		level = parseLevel(bytes.TrimSpace(lv))
	}
	return first, last, level, true
}

// parseLevel reads a decimal access level, capped at 999; 0 when s is not
// all digits.
func parseLevel(s []byte) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = min(n*10+int(c-'0'), 999)
	}
	return n
}

// parseP2P reads a PeerGuardian plaintext line: "description:first-last".
// The description may hold colons and dashes, so the range is found from
// the end: last follows the last dash. For IPv4, first follows the last
// colon before that dash. For IPv6, whose addresses are full of colons,
// first is the longest tail after a colon (or the whole text before the
// dash, for a line without description) that reads as an IPv6 address:
// the description is what comes before it.
func parseP2P(line []byte) (first, last netip.Addr, ok bool) {
	d := bytes.LastIndexByte(line, '-')
	if d < 0 {
		return first, last, false
	}
	if last, ok = parseAddr(bytes.TrimSpace(line[d+1:])); !ok {
		return first, last, false
	}
	head := line[:d]
	if last.Is4() {
		first, ok = parseAddr(bytes.TrimSpace(head[bytes.LastIndexByte(head, ':')+1:]))
		return first, last, ok
	}
	for i := -1; i < len(head); i++ {
		if i >= 0 && head[i] != ':' {
			continue
		}
		tail := bytes.TrimSpace(head[i+1:])
		if bytes.IndexByte(tail, ':') < 0 {
			break // no IPv6 address is left in what remains
		}
		if first, ok = parseAddr(tail); ok {
			return first, last, true
		}
	}
	return first, last, false
}

// parseCIDR reads "address/bits", host bits allowed (1.2.3.4/24 is
// 1.2.3.0-1.2.3.255), or a single address.
func parseCIDR(line []byte) (first, last netip.Addr, ok bool) {
	a, b, hasBits := bytes.Cut(line, []byte("/"))
	addr, ok := parseAddr(bytes.TrimSpace(a))
	if !ok {
		return first, last, false
	}
	if !hasBits {
		return addr, addr, true
	}
	b = bytes.TrimSpace(b)
	bits := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return first, last, false
		}
		bits = min(bits*10+int(c-'0'), 1000)
	}
	if len(b) == 0 || bits > addr.BitLen() {
		return first, last, false
	}
	first = netip.PrefixFrom(addr, bits).Masked().Addr()
	if first.Is4() {
		host := uint32(uint64(1)<<(32-bits) - 1)
		return first, (v4From(first) | v4key(host)).addr(), true
	}
	k, h := v6From(first), 128-bits
	if h >= 64 {
		k.hi |= 1<<(h-64) - 1 // h-64 == 64 shifts to 0: all ones
		k.lo = ^uint64(0)
	} else {
		k.lo |= 1<<h - 1
	}
	return first, k.addr(), true
}

// parseAddr reads an IPv6 address, or an IPv4 address whose octets may
// have leading zeros (001.002.003.004, as eMule lists write them) that
// are decimal, never octal. Zones are refused: they mean nothing in a
// list.
func parseAddr(b []byte) (netip.Addr, bool) {
	if bytes.IndexByte(b, ':') >= 0 {
		a, err := netip.ParseAddr(string(b))
		if err != nil || !a.Is6() || a.Zone() != "" {
			return netip.Addr{}, false
		}
		return a, true
	}
	k, ok := parseV4(b)
	return k.addr(), ok
}

// parseV4 reads four dot-separated decimal octets of one to three digits.
func parseV4(b []byte) (v4key, bool) {
	var v uint32
	i := 0
	for octet := range 4 {
		if octet > 0 {
			if i >= len(b) || b[i] != '.' {
				return 0, false
			}
			i++
		}
		n, digits := 0, 0
		for i < len(b) && digits < 3 && b[i] >= '0' && b[i] <= '9' {
			n = n*10 + int(b[i]-'0')
			i++
			digits++
		}
		if digits == 0 || n > 255 {
			return 0, false
		}
		v = v<<8 | uint32(n)
	}
	return v4key(v), i == len(b)
}
