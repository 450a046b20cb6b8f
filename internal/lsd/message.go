// Package lsd is Local Service Discovery (BEP 14) as plain Go: the
// BT-SEARCH message (build and a strict parser), when a torrent is
// announced (Schedule) and how often a peer's announces are believed
// (Limiter). It owns no socket and reads no clock: time is a parameter.
// The actor that owns the multicast socket is lsdactor.
package lsd

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// The IPv4 multicast group and port of BEP 14.
var (
	GroupAddr = netip.MustParseAddr("239.192.152.143")
	Group     = netip.AddrPortFrom(GroupAddr, 6771)
)

// InfoHash is a torrent's v1 info-hash.
type InfoHash = [20]byte

// Limits of the parser. A packet is one UDP datagram on a LAN, which
// libtorrent reads into 1500 bytes; its own messages have five header
// lines. Anything past these limits is not an announce from a client.
const (
	// MaxPacket is the largest datagram parsed.
	MaxPacket = 1500
	// MaxHeaders is how many header lines an announce may have.
	MaxHeaders = 32
	// MaxInfoHashes is how many info-hashes Build puts in one packet: each
	// Infohash line is 52 bytes, so 20 keep a packet under 1200 bytes,
	// inside any LAN's MTU.
	MaxInfoHashes = 20
)

// Announce is a parsed BT-SEARCH: the sender's listen Port, the torrents
// it announces and its cookie (libtorrent's way to drop its own packets).
type Announce struct {
	Port       uint16
	InfoHashes []InfoHash
	// Cookie is the "cookie" header read as hex; HasCookie says it was
	// there and parsed.
	Cookie    uint32
	HasCookie bool
}

// Errors of Parse.
var (
	ErrTooLarge      = errors.New("lsd: packet too large")
	ErrNotSearch     = errors.New("lsd: not a BT-SEARCH request")
	ErrIncomplete    = errors.New("lsd: header not terminated")
	ErrTooManyLines  = errors.New("lsd: too many header lines")
	ErrBadHeader     = errors.New("lsd: malformed header line")
	ErrBadPort       = errors.New("lsd: missing or invalid port")
	ErrNoInfoHash    = errors.New("lsd: no valid infohash")
	ErrTooManyHashes = errors.New("lsd: too many infohashes")
)

// Build renders one announce of ihs (at most MaxInfoHashes) for our
// listen port, with our cookie, as libtorrent writes it: the host line
// names the group, the cookie is lower-case hex, and the message ends with
// two empty lines.
func Build(port uint16, cookie uint32, ihs ...InfoHash) ([]byte, error) {
	if len(ihs) == 0 {
		return nil, ErrNoInfoHash
	}
	if len(ihs) > MaxInfoHashes {
		return nil, ErrTooManyHashes
	}
	var b bytes.Buffer
	b.Grow(96 + 52*len(ihs))
	fmt.Fprintf(&b, "BT-SEARCH * HTTP/1.1\r\nHost: %s\r\nPort: %d\r\n", Group, port)
	for _, ih := range ihs {
		fmt.Fprintf(&b, "Infohash: %s\r\n", hex.EncodeToString(ih[:]))
	}
	fmt.Fprintf(&b, "cookie: %x\r\n\r\n\r\n", cookie)
	return b.Bytes(), nil
}

// Parse reads an announce. It accepts what libtorrent and Transmission
// send (methods and header names in any case, LF or CRLF line ends) and
// refuses anything larger than MaxPacket, with more than MaxHeaders
// header lines, without a port in 1..65535 or without one valid,
// non-zero info-hash. Info-hashes that are not 40 hex digits are skipped,
// as libtorrent does, so one bad line does not hide the others.
func Parse(b []byte) (Announce, error) {
	var a Announce
	if len(b) > MaxPacket {
		return a, ErrTooLarge
	}
	end := bytes.Index(b, []byte("\n\r\n"))
	if i := bytes.Index(b, []byte("\n\n")); i >= 0 && (end < 0 || i < end) {
		end = i
	}
	if end < 0 {
		return a, ErrIncomplete
	}
	lines := strings.Split(string(b[:end+1]), "\n")
	lines = lines[:len(lines)-1] // the text after the last \n is the terminator's
	if len(lines) > MaxHeaders+1 {
		return a, ErrTooManyLines
	}
	if !isSearchLine(strings.TrimSuffix(lines[0], "\r")) {
		return a, ErrNotSearch
	}
	portSeen := false
	for _, line := range lines[1:] {
		name, value, ok := strings.Cut(strings.TrimSuffix(line, "\r"), ":")
		if !ok {
			return a, ErrBadHeader
		}
		value = strings.TrimSpace(value)
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "port":
			p, err := strconv.ParseUint(value, 10, 16)
			if err != nil || p == 0 {
				return a, ErrBadPort
			}
			a.Port, portSeen = uint16(p), true
		case "infohash":
			if ih, ok := parseInfoHash(value); ok {
				a.InfoHashes = append(a.InfoHashes, ih)
			}
		case "cookie":
			if c, err := strconv.ParseUint(value, 16, 32); err == nil {
				a.Cookie, a.HasCookie = uint32(c), true
			}
		}
	}
	if !portSeen {
		return a, ErrBadPort
	}
	if len(a.InfoHashes) == 0 {
		return a, ErrNoInfoHash
	}
	return a, nil
}

// isSearchLine: "BT-SEARCH * HTTP/1.1", the method in any case (libtorrent
// compares it lower-cased).
func isSearchLine(s string) bool {
	f := strings.Fields(s)
	return len(f) == 3 && strings.EqualFold(f[0], "BT-SEARCH") && strings.HasPrefix(strings.ToUpper(f[2]), "HTTP/")
}

// parseInfoHash reads 40 hex digits; the all-zero hash is no torrent.
func parseInfoHash(s string) (InfoHash, bool) {
	var ih InfoHash
	if len(s) != 40 {
		return ih, false
	}
	if _, err := hex.Decode(ih[:], []byte(s)); err != nil || ih == (InfoHash{}) {
		return InfoHash{}, false
	}
	return ih, true
}
