package wire

import (
	"crypto/sha1"
	"encoding/binary"
	"math"
	"net"
)

// AllowedFastSet computes the BEP 6 allowed-fast set of k piece indexes for
// a peer at the IPv4 address ip, in generation order. Both sides compute
// the same set, so a peer can verify that an AllowedFast message is honest.
//
// The address is masked to its /24 so that peers behind one NAT or on one
// subnet share a set (this limits gaming it by reconnecting). BEP 6 does not
// define the set for IPv6, so a non-IPv4 ip yields nil. k is capped at
// numPieces, since no more distinct indexes exist.
func AllowedFastSet(ip net.IP, infoHash [20]byte, numPieces, k int) []uint32 {
	ip4 := ip.To4()
	if ip4 == nil || numPieces <= 0 || k <= 0 {
		return nil
	}
	// Piece indexes are 32-bit on the wire; clamping also keeps the modulus
	// below from ever being zero. (Written with uint64 so it compiles where
	// int is 32 bits.)
	n := uint32(numPieces)
	if uint64(numPieces) > math.MaxUint32 {
		n = math.MaxUint32
	}
	if uint64(k) > uint64(n) {
		k = int(n)
	}
	hint := min(k, 1024) // capacity hint only; k is caller-controlled
	out := make([]uint32, 0, hint)
	seen := make(map[uint32]struct{}, hint)

	// x = (ip & 0xffffff00) || infohash, then x = SHA1(x) repeatedly; each
	// digest yields five big-endian 32-bit candidates modulo numPieces.
	var x []byte
	x = append(x, ip4[0], ip4[1], ip4[2], 0)
	x = append(x, infoHash[:]...)
	for len(out) < k {
		sum := sha1.Sum(x)
		x = sum[:]
		for i := 0; i < 5 && len(out) < k; i++ {
			idx := binary.BigEndian.Uint32(sum[i*4:]) % n
			if _, dup := seen[idx]; !dup {
				seen[idx] = struct{}{}
				out = append(out, idx)
			}
		}
	}
	return out
}
