package stats

import "testing"

// The figures in Counters' comment come from these: a plain field, an
// atomic add from one goroutine, and atomic adds from every core on the
// same block (go test -bench Counters -cpu 1,2 ./internal/stats).

func BenchmarkCountersPlain(b *testing.B) {
	var v [NumIndexes]int64
	for i := 0; i < b.N; i++ {
		v[NetRecvBytes] += 16 << 10
	}
	sink = v[NetRecvBytes]
}

func BenchmarkCountersAtomic(b *testing.B) {
	c := NewCounters()
	for i := 0; i < b.N; i++ {
		c.Add(NetRecvBytes, 16<<10)
	}
}

func BenchmarkCountersAtomicParallel(b *testing.B) {
	c := NewCounters()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Add(NetRecvBytes, 16<<10)
		}
	})
}

// BenchmarkCountersBlock is the hot path's whole cost per received block.
func BenchmarkCountersBlockParallel(b *testing.B) {
	c := NewCounters()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Transferred(16<<10+13, false, false)
			c.Add(NetRecvPayloadBytes, 16<<10)
			c.Inc(SesNumIncomingPiece)
		}
	})
}

var sink int64
