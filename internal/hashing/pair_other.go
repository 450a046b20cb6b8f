//go:build !amd64 || purego

package hashing

// forceGeneric is what tests set on amd64; here every Pair is generic.
var forceGeneric bool

func twoWay() bool { return false }

// blockPair is never called without the amd64 implementation.
func blockPair(a, b *[5]uint32, pa, pb *byte, n int) {
	panic("hashing: no two-way block function on this platform")
}
