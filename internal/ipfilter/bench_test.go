package ipfilter

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// benchList is a P2P list of n ranges in random order: mostly IPv4 ranges
// of 1 to 65536 addresses, a tenth overlapping an earlier one, a twentieth
// IPv6 (`make bench` measures a file of the same shape, see
// cmd/bench/ipfilter.go).
func benchList(n int) []byte {
	rng := rand.New(rand.NewPCG(7, 8))
	var b bytes.Buffer
	var starts []uint32
	for i := range n {
		switch {
		case i%20 == 19:
			hi := 0x2000_0000_0000_0000 | rng.Uint64()>>3&^0xffff_ffff
			first := v6key{hi, 0}
			last := v6key{hi | uint64(rng.IntN(1<<16)), ^uint64(0)}
			fmt.Fprintf(&b, "IPv6 net %d:%v-%v\n", i, first.addr(), last.addr())
		default:
			start := 1<<24 + rng.Uint32N(222<<24)
			if i%10 == 9 && len(starts) > 0 {
				start = starts[rng.IntN(len(starts))] + rng.Uint32N(256)
			}
			size := uint32(1) << rng.IntN(17)
			last := min(uint64(start)+uint64(rng.Uint32N(size)), 0xffffffff)
			starts = append(starts, start)
			fmt.Fprintf(&b, "Org %d, Example Ltd:%v-%v\n", i, v4key(start).addr(), v4key(last).addr())
		}
	}
	return b.Bytes()
}

func BenchmarkLoadBlocklist100k(b *testing.B) {
	list := benchList(100_000)
	b.SetBytes(int64(len(list)))
	for b.Loop() {
		var f IPFilter
		if _, err := f.LoadBlocklist(bytes.NewReader(list), Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccess(b *testing.B) {
	var f IPFilter
	if _, err := f.LoadBlocklist(bytes.NewReader(benchList(100_000)), Limits{}); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	addrs := make([]netip.Addr, 1024)
	for i := range addrs {
		addrs[i] = v4key(rng.Uint32()).addr()
		if i%8 == 0 {
			addrs[i] = v6key{0x2000_0000_0000_0000 | rng.Uint64()>>3, rng.Uint64()}.addr()
		}
	}
	i := 0
	for b.Loop() {
		f.Access(addrs[i%len(addrs)])
		i++
	}
}

// BenchmarkAddRuleAscending is the common case of AddRule one by one: a
// sorted list appends at the end and moves nothing.
func BenchmarkAddRuleAscending(b *testing.B) {
	for b.Loop() {
		var f IPFilter
		for i := range uint32(100_000) {
			a := v4key(i << 8).addr()
			_ = f.AddRule(a, v4key(i<<8|0x7f).addr(), Blocked)
		}
	}
}

// BenchmarkClone100k is the price of a snapshot of a 100k-range filter.
func BenchmarkClone100k(b *testing.B) {
	var f IPFilter
	if _, err := f.LoadBlocklist(bytes.NewReader(benchList(100_000)), Limits{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		f.Clone()
	}
}
