package dhtstate

import "math/bits"

// Bucket is one bucket of a routing table for session_status: the nodes
// in it. (The server keeps no replacement cache and does not say when a
// bucket last changed.)
type Bucket struct {
	Nodes int
}

// numBuckets is the id space's bits: bucket i holds the nodes whose id
// shares exactly i leading bits with ours.
const numBuckets = 160

// Buckets counts the nodes by bucket, libtorrent's order (bucket 0 the
// farthest half of the id space), up to the deepest bucket that has a
// node: libtorrent reports the buckets its table has, which stop there.
func Buckets(self [20]byte, ids [][20]byte) []Bucket {
	var counts [numBuckets]int
	deepest := -1
	for _, id := range ids {
		i := commonPrefix(self, id)
		if i >= numBuckets {
			continue // ourselves
		}
		counts[i]++
		deepest = max(deepest, i)
	}
	out := make([]Bucket, deepest+1)
	for i := range out {
		out[i] = Bucket{Nodes: counts[i]}
	}
	return out
}

// commonPrefix is how many leading bits a and b share (160: equal).
func commonPrefix(a, b [20]byte) int {
	for i := range a {
		if x := a[i] ^ b[i]; x != 0 {
			return i*8 + bits.LeadingZeros8(x)
		}
	}
	return numBuckets
}
