package ipfilter

import (
	"encoding/binary"
	"net/netip"
)

// key is what a table is keyed by: an IPv4 address, an IPv6 address or a
// port, as plain integers so that comparing two keys costs one or two
// integer compares instead of netip.Addr.Compare (which also looks at the
// zone). Every key type is unsigned: its zero value is the smallest key.
type key[K any] interface {
	comparable
	cmp(K) int   // -1, 0 or +1 as the receiver is below, equal to or above the argument
	isMax() bool // the largest key of the type
	next() K     // the key + 1; never called on the largest key
	prev() K     // the key - 1, wrapping from the zero key to the largest
}

// v4key is an IPv4 address in host order.
type v4key uint32

func (k v4key) cmp(o v4key) int { return cmpUint(k, o) }
func (k v4key) isMax() bool     { return k == ^v4key(0) }
func (k v4key) next() v4key     { return k + 1 }
func (k v4key) prev() v4key     { return k - 1 }

// portKey is a TCP or UDP port.
type portKey uint16

func (k portKey) cmp(o portKey) int { return cmpUint(k, o) }
func (k portKey) isMax() bool       { return k == ^portKey(0) }
func (k portKey) next() portKey     { return k + 1 }
func (k portKey) prev() portKey     { return k - 1 }

// v6key is an IPv6 address as a 128-bit big-endian number split in two.
type v6key struct{ hi, lo uint64 }

func (k v6key) cmp(o v6key) int {
	if k.hi != o.hi {
		return cmpUint(k.hi, o.hi)
	}
	return cmpUint(k.lo, o.lo)
}

func (k v6key) isMax() bool { return k.hi == ^uint64(0) && k.lo == ^uint64(0) }

func (k v6key) next() v6key {
	if k.lo == ^uint64(0) {
		return v6key{k.hi + 1, 0}
	}
	return v6key{k.hi, k.lo + 1}
}

func (k v6key) prev() v6key {
	if k.lo == 0 {
		return v6key{k.hi - 1, ^uint64(0)}
	}
	return v6key{k.hi, k.lo - 1}
}

func cmpUint[T ~uint16 | ~uint32 | ~uint64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func v4From(a netip.Addr) v4key {
	b := a.As4()
	return v4key(binary.BigEndian.Uint32(b[:]))
}

func (k v4key) addr() netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(k))
	return netip.AddrFrom4(b)
}

func v6From(a netip.Addr) v6key {
	b := a.As16()
	return v6key{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

func (k v6key) addr() netip.Addr {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], k.hi)
	binary.BigEndian.PutUint64(b[8:], k.lo)
	return netip.AddrFrom16(b)
}
