package utp

import (
	"io"
	"testing"
	"time"
)

// BenchmarkSocketThroughput sends 64 MiB one way between two of our
// sockets on loopback, per iteration.
func BenchmarkSocketThroughput(b *testing.B) {
	const n = 64 << 20
	a := listenLoopback(b, SocketConfig{})
	s := listenLoopback(b, SocketConfig{})
	client, server := connectPair(b, a, s)
	src := make([]byte, 256<<10)
	dst := make([]byte, 256<<10)
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		errc := make(chan error, 1)
		go func() {
			var err error
			for left := n; left > 0 && err == nil; left -= len(src) {
				_, err = client.Write(src[:min(left, len(src))])
			}
			errc <- err
		}()
		server.SetReadDeadline(time.Now().Add(testWait))
		if _, err := io.ReadFull(server, make([]byte, 0)); err != nil {
			b.Fatal(err)
		}
		for left := n; left > 0; {
			k, err := server.Read(dst[:min(left, len(dst))])
			if err != nil {
				b.Fatal(err)
			}
			left -= k
		}
		if err := <-errc; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/(1<<20)/time.Since(start).Seconds(), "MiB/s")
	st := a.Stats()
	b.ReportMetric(float64(st.PacketResend)/float64(b.N), "resends/op")
}
