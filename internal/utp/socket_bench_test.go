package utp

import (
	"fmt"
	"io"
	"net"
	"sync"
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

// BenchmarkSocketManyStreams sends 1 MiB on each of 64 connections at
// once, one way, between two sockets: the demux, timers and per-batch
// ACKs with many connections busy. With the default 4 MiB receive buffer
// the kernel drops: LEDBAT backs off only at 100 ms of queueing, and on
// loopback that is more than 4 MiB (see KernelDrops in the log).
func BenchmarkSocketManyStreams(b *testing.B) {
	for _, rb := range []int{4 << 20, 32 << 20} {
		b.Run(fmt.Sprintf("rcvbuf=%dMiB", rb>>20), func(b *testing.B) { benchManyStreams(b, rb) })
	}
}

func benchManyStreams(b *testing.B, readBuffer int) {
	const conns = 64
	const n = 1 << 20
	a := listenLoopback(b, SocketConfig{})
	s := listenLoopback(b, SocketConfig{ReadBuffer: readBuffer})
	clients := make([]net.Conn, conns)
	servers := make([]net.Conn, conns)
	for i := range conns {
		clients[i], servers[i] = connectPair(b, a, s)
	}
	src := make([]byte, 64<<10)
	b.SetBytes(conns * n)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		var wg sync.WaitGroup
		errs := make(chan error, 2*conns)
		for i := range conns {
			wg.Add(2)
			go func(c net.Conn) {
				defer wg.Done()
				for left := n; left > 0; left -= len(src) {
					if _, err := c.Write(src[:min(left, len(src))]); err != nil {
						errs <- err
						return
					}
				}
			}(clients[i])
			go func(c net.Conn) {
				defer wg.Done()
				c.SetReadDeadline(time.Now().Add(testWait))
				if _, err := io.CopyN(io.Discard, c, n); err != nil {
					errs <- err
				}
			}(servers[i])
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(conns*n*b.N)/(1<<20)/time.Since(start).Seconds(), "MiB/s")
	b.Logf("receiver: kernel drops %d; sender: resends %d, timeouts %d",
		s.Stats().KernelDrops, a.Stats().PacketResend, a.Stats().Timeout)
}
