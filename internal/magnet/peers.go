package magnet

import (
	"net"
	"net/netip"
	"strconv"
)

// maxHostLen is the longest DNS name (RFC 1035).
const maxHostLen = 253

// normalizePeer validates an x.pe value ("host:port", "1.2.3.4:port" or
// "[v6]:port") and returns it in canonical form: IP literals as netip
// prints them (IPv4-mapped IPv6 unmapped), host names lower-cased. Invalid
// peers are reported with ok false and dropped by the caller, as libtorrent
// drops them.
func normalizePeer(s string) (string, bool) {
	host, portStr, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return "", false
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil || port == 0 || portStr[0] == '+' {
		return "", false
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		if addr.Zone() != "" {
			return "", false // a zone only means something on the sender's host
		}
		return netip.AddrPortFrom(addr.Unmap(), uint16(port)).String(), true
	}
	if !validHostName(host) {
		return "", false
	}
	return net.JoinHostPort(lowerASCII(host), strconv.FormatUint(port, 10)), true
}

// validHostName accepts letters, digits, '-' and '.', which is all a DNS
// name may contain; anything else (spaces, '/', '@', '%', ':') cannot be
// dialled and would not survive a round trip.
func validHostName(h string) bool {
	if len(h) > maxHostLen {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
