package utp

import (
	"errors"
	"net"
	"sync"
	"testing"
)

// lossyRelay forwards datagrams between a client and a server address,
// dropping every dropEvery-th one each way: the socket's timers and
// resends then have work to do over real UDP.
type lossyRelay struct {
	front, back *net.UDPConn // front faces the client, back the server
	server      *net.UDPAddr
	wg          sync.WaitGroup
	mu          sync.Mutex
	client      *net.UDPAddr
}

func newLossyRelay(t *testing.T, server *net.UDPAddr, dropEvery int) *lossyRelay {
	listen := func() *net.UDPConn {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		c.SetReadBuffer(4 << 20)
		c.SetWriteBuffer(4 << 20)
		return c
	}
	r := &lossyRelay{front: listen(), back: listen(), server: server}
	r.wg.Add(2)
	go r.pump(r.front, r.back, func(from *net.UDPAddr) *net.UDPAddr {
		r.mu.Lock()
		r.client = from
		r.mu.Unlock()
		return r.server
	}, dropEvery)
	go r.pump(r.back, r.front, func(*net.UDPAddr) *net.UDPAddr {
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.client
	}, dropEvery)
	t.Cleanup(func() {
		r.front.Close()
		r.back.Close()
		r.wg.Wait()
	})
	return r
}

// pump runs until its socket is closed.
func (r *lossyRelay) pump(in, out *net.UDPConn, dest func(*net.UDPAddr) *net.UDPAddr, dropEvery int) {
	defer r.wg.Done()
	buf := make([]byte, maxDatagram)
	for n := 1; ; n++ {
		k, from, err := in.ReadFromUDP(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil || n%dropEvery == 0 {
			continue
		}
		if to := dest(from); to != nil {
			out.WriteToUDP(buf[:k], to)
		}
	}
}

// TestSocketTransferThroughLoss sends 2 MiB through a relay that drops
// one datagram in 25 each way.
func TestSocketTransferThroughLoss(t *testing.T) {
	const n = 2 << 20
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	relay := newLossyRelay(t, b.Addr().(*net.UDPAddr), 25)
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := b.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	ctx, cancel := contextWithTestWait()
	defer cancel()
	client, err := a.DialContext(ctx, relay.front.LocalAddr().(*net.UDPAddr).AddrPort())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, ok := <-accepted
	if !ok {
		t.Fatal("accept failed")
	}
	defer server.Close()
	errc := make(chan error, 1)
	go func() { errc <- sendPattern(client, 5, n) }()
	sum, err := hashUntil(server, n)
	if err != nil || sum != patternSum(5, n) {
		t.Fatalf("transfer through loss: %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	st := a.Stats()
	if st.PacketResend == 0 {
		t.Fatalf("nothing was resent through a lossy relay: %+v", st)
	}
	t.Logf("sender: %+v", st)
}
