package utp

import (
	"context"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"
)

// testWait bounds every wait in the socket tests: far above what a loaded
// machine needs, so hitting it means a hang, not slowness.
const testWait = 60 * time.Second

func contextWithTestWait() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), testWait)
}

func listenLoopback(t testing.TB, cfg SocketConfig) *Socket {
	t.Helper()
	s, err := Listen("udp4", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func addrOf(s *Socket) netip.AddrPort {
	return s.Addr().(*net.UDPAddr).AddrPort()
}

// connectPair dials b from a and accepts it on b.
func connectPair(t testing.TB, a, b *Socket) (client, server net.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	type accepted struct {
		c   net.Conn
		err error
	}
	ch := make(chan accepted, 1)
	go func() {
		c, err := b.Accept()
		ch <- accepted{c, err}
	}()
	client, err := a.DialContext(ctx, addrOf(b))
	if err != nil {
		t.Fatal(err)
	}
	acc := <-ch
	if acc.err != nil {
		t.Fatal(acc.err)
	}
	t.Cleanup(func() { client.Close(); acc.c.Close() })
	return client, acc.c
}

// readAllBounded reads until EOF or an error, failing the test past testWait.
func readAllBounded(t testing.TB, c net.Conn) []byte {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(testWait))
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return b
}
