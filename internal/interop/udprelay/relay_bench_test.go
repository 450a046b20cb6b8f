package udprelay

import "testing"

// BenchmarkRelayForward: 1400-byte datagrams through a relay that impairs
// nothing, in windows that no socket buffer overflows: the relay's own
// cost, which a uTP transfer through it must stay well clear of.
func BenchmarkRelayForward(b *testing.B) {
	const benchWindow = 512 // 1.1 MiB of 4 MiB buffers, counting the kernel's overhead
	tg := startTarget(b, false)
	setBuffers(tg.conn, defaultSocketBuffer)
	r := startRelay(b, Config{Target: tg.addr()})
	c := dialRelay(b, r)
	payload := make([]byte, 1400)
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	b.ResetTimer()
	for sent := 0; sent < b.N; {
		n := min(benchWindow, b.N-sent)
		for range n {
			if _, err := c.Write(payload); err != nil {
				b.Fatal(err)
			}
		}
		for range n {
			tg.next(b)
		}
		sent += n
	}
}
