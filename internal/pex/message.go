// Package pex is BEP 11's peer exchange (ut_pex) without the sockets: the
// message codec, the torrent-wide diff libtorrent sends every minute, and
// the checks a received message goes through (size, rate, how many peers a
// connection may tell us of). The torrent actor owns the Builder, each
// peer actor an Inbound and an Outbound; time is a parameter.
package pex

import (
	"bytes"
	"errors"
	"net/netip"
	"slices"
	"strconv"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// ExtensionName is the name in the extension handshake's "m" dictionary.
const ExtensionName = "ut_pex"

// Flags describe an added peer (the "added.f" byte), libtorrent's pex_flags.
type Flags uint8

// The flags libtorrent sends and reads.
const (
	FlagEncryption Flags = 0x01 // prefers encryption
	FlagSeed       Flags = 0x02 // a seed (or upload only)
	FlagUTP        Flags = 0x04 // speaks uTP
	FlagHolepunch  Flags = 0x08 // a holepunch rendezvous (ut_holepunch)
	FlagOutgoing   Flags = 0x10 // reachable: the sender connected to it
)

// Peer is an added peer: where it listens and what the sender knows of it.
type Peer struct {
	Addr  netip.AddrPort
	Flags Flags
}

// Message is one ut_pex message: the peers added since the last one and
// those dropped.
type Message struct {
	Added   []Peer
	Dropped []netip.AddrPort
}

// MaxMessageSize is the largest message read (libtorrent disconnects a
// peer that sends more: pex_message_too_large).
const MaxMessageSize = 500 * 1024

// Errors of a received message, each a reason to disconnect the peer as
// libtorrent does (its error codes pex_message_too_large,
// invalid_pex_message, too_frequent_pex).
var (
	ErrTooLarge    = errors.New("pex message too large")
	ErrInvalid     = errors.New("invalid pex message")
	ErrTooFrequent = errors.New("too frequent pex")
)

// Encode bencodes m with its keys in order; IPv4 and IPv6 peers go to
// their own keys, each added peer with its flag byte. Every key is
// present, even empty, as libtorrent writes them.
func Encode(m Message) []byte {
	var a4, f4, a6, f6, d4, d6 []byte
	for _, p := range m.Added {
		if p.Addr.Addr().Unmap().Is4() {
			a4, f4 = appendCompact(a4, p.Addr), append(f4, byte(p.Flags))
		} else {
			a6, f6 = appendCompact(a6, p.Addr), append(f6, byte(p.Flags))
		}
	}
	for _, ap := range m.Dropped {
		if ap.Addr().Unmap().Is4() {
			d4 = appendCompact(d4, ap)
		} else {
			d6 = appendCompact(d6, ap)
		}
	}
	var b bytes.Buffer
	b.WriteByte('d')
	for _, kv := range []struct {
		k string
		v []byte
	}{{"added", a4}, {"added.f", f4}, {"added6", a6}, {"added6.f", f6}, {"dropped", d4}, {"dropped6", d6}} {
		writeString(&b, []byte(kv.k))
		writeString(&b, kv.v)
	}
	b.WriteByte('e')
	return b.Bytes()
}

func writeString(b *bytes.Buffer, s []byte) {
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteByte(':')
	b.Write(s)
}

// appendCompact appends ap as 6 bytes (IPv4) or 18 (IPv6), port big-endian.
func appendCompact(dst []byte, ap netip.AddrPort) []byte {
	a := ap.Addr().Unmap()
	if a.Is4() {
		v := a.As4()
		dst = append(dst, v[:]...)
	} else {
		v := a.As16()
		dst = append(dst, v[:]...)
	}
	return append(dst, byte(ap.Port()>>8), byte(ap.Port()))
}

// Decode reads a ut_pex message as libtorrent does: it must be a
// dictionary of at most MaxMessageSize bytes; an "added" list whose flag
// string does not match its length is ignored (not an error), and so are
// trailing bytes of a compact string that make no whole peer. Port 0 and
// unspecified addresses are dropped.
func Decode(b []byte) (Message, error) {
	var m Message
	if len(b) > MaxMessageSize {
		return m, ErrTooLarge
	}
	if _, err := bencodex.Scan(b, bencodex.DefaultLimits); err != nil {
		return m, ErrInvalid
	}
	var a4, f4, a6, f6, d4, d6 []byte
	isDict, err := bencodex.DictEachRaw(b, func(k, v []byte) (bool, error) {
		s, ok := bencodex.String(v)
		if !ok {
			return true, nil
		}
		switch string(k) {
		case "added":
			a4 = s
		case "added.f":
			f4 = s
		case "added6":
			a6 = s
		case "added6.f":
			f6 = s
		case "dropped":
			d4 = s
		case "dropped6":
			d6 = s
		}
		return true, nil
	})
	if err != nil || !isDict {
		return Message{}, ErrInvalid
	}
	m.Added = appendAdded(m.Added, a4, f4, 6)
	m.Added = appendAdded(m.Added, a6, f6, 18)
	m.Dropped = appendDropped(m.Dropped, d4, 6)
	m.Dropped = appendDropped(m.Dropped, d6, 18)
	return m, nil
}

func appendAdded(dst []Peer, addrs, flags []byte, size int) []Peer {
	if len(flags) != len(addrs)/size {
		return dst
	}
	for i := range flags {
		if ap, ok := compact(addrs[i*size : (i+1)*size]); ok {
			dst = append(dst, Peer{Addr: ap, Flags: Flags(flags[i])})
		}
	}
	return dst
}

func appendDropped(dst []netip.AddrPort, addrs []byte, size int) []netip.AddrPort {
	for i := 0; i+size <= len(addrs); i += size {
		if ap, ok := compact(addrs[i : i+size]); ok {
			dst = append(dst, ap)
		}
	}
	return dst
}

// compact reads one compact peer (6 or 18 bytes).
func compact(b []byte) (netip.AddrPort, bool) {
	n := len(b) - 2
	a, ok := netip.AddrFromSlice(b[:n])
	port := uint16(b[n])<<8 | uint16(b[n+1])
	if !ok || port == 0 || a.IsUnspecified() {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(a.Unmap(), port), true
}

// sortAddrs orders addresses for binary search.
func sortAddrs(s []netip.AddrPort) {
	slices.SortFunc(s, func(a, b netip.AddrPort) int { return a.Compare(b) })
}
