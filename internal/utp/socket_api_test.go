package utp

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"
)

func TestSocketEchoSmallMessages(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, server := connectPair(t, a, b)
	go io.Copy(server, server) // ends when the test's cleanup closes server
	client.SetDeadline(time.Now().Add(testWait))
	buf := make([]byte, 64)
	for i := range 2000 {
		msg := []byte{byte(i), byte(i >> 8), 'x', byte(i * 7)}
		if _, err := client.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(client, buf[:len(msg)]); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if string(buf[:len(msg)]) != string(msg) {
			t.Fatalf("message %d: got %x want %x", i, buf[:len(msg)], msg)
		}
	}
}

func TestStreamCloseGivesEOFAfterData(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, server := connectPair(t, a, b)
	if _, err := client.Write([]byte("last words")); err != nil {
		t.Fatal(err)
	}
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readAllBounded(t, server); string(got) != "last words" {
		t.Fatalf("got %q", got)
	}
	// Read after EOF stays EOF; our own Close makes our calls fail.
	if _, err := server.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("second read: %v, want io.EOF", err)
	}
	if _, err := client.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("read after close: %v, want net.ErrClosed", err)
	}
	if _, err := client.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after close: %v, want net.ErrClosed", err)
	}
	if err := client.Close(); err == nil {
		t.Fatal("second Close succeeded")
	}
}

func TestStreamCloseWriteKeepsReading(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, server := connectPair(t, a, b)
	// The reply is one packet: once its first bytes are read, the rest is
	// here. (What the peer has not sent when our FIN reaches it, it drops:
	// uTP has no half-close.)
	if _, err := server.Write([]byte("reply")); err != nil {
		t.Fatal(err)
	}
	client.SetReadDeadline(time.Now().Add(testWait))
	buf := make([]byte, 5)
	if _, err := io.ReadFull(client, buf[:2]); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Write([]byte("request")); err != nil {
		t.Fatal(err)
	}
	if err := client.(*Stream).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Write([]byte("more")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after CloseWrite: %v", err)
	}
	if got := readAllBounded(t, server); string(got) != "request" {
		t.Fatalf("server got %q", got)
	}
	rest := readAllBounded(t, client)
	if got := string(buf[:2]) + string(rest); got != "reply" {
		t.Fatalf("client got %q", got)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) && errors.As(err, &ne) && ne.Timeout()
}

func TestStreamReadDeadline(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, server := connectPair(t, a, b)

	// A deadline in the past fails at once, even with data waiting.
	server.SetReadDeadline(time.Now().Add(-time.Second))
	if _, err := server.Read(make([]byte, 1)); !isTimeout(err) {
		t.Fatalf("past deadline: %v", err)
	}
	// A deadline on an idle connection fires.
	server.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	if _, err := server.Read(make([]byte, 1)); !isTimeout(err) {
		t.Fatalf("idle deadline: %v", err)
	}
	// Cleared, the connection works again.
	server.SetReadDeadline(time.Time{})
	if _, err := client.Write([]byte("k")); err != nil {
		t.Fatal(err)
	}
	server.SetReadDeadline(time.Now().Add(testWait))
	if _, err := io.ReadFull(server, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	// A pending read is ended by a deadline set from another goroutine.
	server.SetReadDeadline(time.Time{})
	errc := make(chan error, 1)
	go func() { _, err := server.Read(make([]byte, 1)); errc <- err }()
	server.SetReadDeadline(time.Now())
	if err := <-errc; !isTimeout(err) {
		t.Fatalf("deadline moved under a read: %v", err)
	}
}

func TestStreamWriteDeadlineWhenPeerDoesNotRead(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, _ := connectPair(t, a, b)
	big := make([]byte, 64<<20)
	client.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
	// The peer never reads: its window, our Conn's send buffer and the
	// stream's fill, then Write waits until the deadline.
	n, err := client.Write(big)
	if !isTimeout(err) {
		t.Fatalf("write: %d, %v", n, err)
	}
	if n >= len(big) {
		t.Fatalf("wrote %d bytes before the deadline", n)
	}
}

func TestSocketAcceptAfterClose(t *testing.T) {
	s := listenLoopback(t, SocketConfig{})
	errc := make(chan error, 1)
	go func() { _, err := s.Accept(); errc <- err }()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("pending Accept: %v", err)
	}
	if _, err := s.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Accept after Close: %v", err)
	}
	if _, err := s.Listener().Accept(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Accept on a view taken after Close: %v", err)
	}
	if err := s.Close(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
	_ = s.Stats() // answers from the final snapshot
	if _, err := s.DialContext(context.Background(), netip.MustParseAddrPort("127.0.0.1:9")); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("dial after Close: %v", err)
	}
}

func TestSocketDialNobodyTimesOut(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	// Settings changed at runtime apply to the next connection.
	cfg := DefaultConfig()
	cfg.ConnectTimeout = 50 * time.Millisecond
	a.SetConfig(cfg)
	// A bound UDP socket that never answers.
	silent, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	start := time.Now()
	_, err = a.DialContext(context.Background(), silent.LocalAddr().(*net.UDPAddr).AddrPort())
	if !errors.Is(err, ErrTimedOut) {
		t.Fatalf("dial: %v, want ErrTimedOut", err)
	}
	// 50+100+200 ms of SYN timeouts: far less than the default 3 s one.
	if el := time.Since(start); el > testWait {
		t.Fatalf("dial took %v", el)
	}
	if st := a.Stats(); st.NumSynSent != 0 {
		t.Fatalf("stats after a failed dial: %+v", st)
	}
	// A port nobody has bound answers with ICMP, which an unconnected
	// UDP socket does not hear: the dial times out the same way.
	closed, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	port := closed.LocalAddr().(*net.UDPAddr).AddrPort()
	closed.Close()
	if _, err := a.DialContext(context.Background(), port); !errors.Is(err, ErrTimedOut) {
		t.Fatalf("dial to a closed port: %v, want ErrTimedOut", err)
	}
}

func TestSocketDialContextCancelled(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	silent, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.DialContext(ctx, silent.LocalAddr().(*net.UDPAddr).AddrPort()); !errors.Is(err, context.Canceled) {
		t.Fatalf("dial: %v", err)
	}
}

func TestSocketRefusesWhenIncomingOff(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	b.SetAcceptIncoming(false)
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := a.DialContext(ctx, addrOf(b)); !errors.Is(err, ErrReset) {
		t.Fatalf("dial: %v, want ErrReset", err)
	}
	b.SetAcceptIncoming(true)
	connectPair(t, a, b)
}

func TestSocketListenerViewRestarts(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	out, _ := connectPair(t, b, a) // b's outgoing connection
	l := b.Listener()
	errc := make(chan error, 1)
	go func() { _, err := l.Accept(); errc <- err }()
	l.Close()
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Accept on a closed view: %v", err)
	}
	// No view open: SYNs are refused.
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := a.DialContext(ctx, addrOf(b)); !errors.Is(err, ErrReset) {
		t.Fatalf("dial with no listener: %v", err)
	}
	// A view's backlog is closed with it: a connection accepted by the
	// socket but never taken ends at the peer.
	l2 := b.Listener()
	waiting, err := a.DialContext(ctx, addrOf(b))
	if err != nil {
		t.Fatal(err)
	}
	l2.Close()
	waiting.SetReadDeadline(time.Now().Add(testWait))
	if _, err := waiting.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("read on a connection dropped from the backlog: %v, want io.EOF", err)
	}
	waiting.Close()
	// The outgoing connection lives on, and a new view accepts.
	if _, err := out.Write([]byte("alive")); err != nil {
		t.Fatal(err)
	}
	b.Listener()
	connectPair(t, a, b)
}

func TestSocketStatsCountConnections(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, server := connectPair(t, a, b)
	if st := a.Stats(); st.NumConnected != 1 || st.PacketsOut == 0 || st.PacketsIn == 0 {
		t.Fatalf("client stats: %+v", st)
	}
	client.Close()
	readAllBounded(t, server)
	// The peer's FIN closes our side too (the Conn answers it with its
	// own): the connection is in fin-sent, or ended and waiting for our
	// Close.
	if st := b.Stats(); st.NumConnected != 0 || st.NumFinSent+st.NumCloseWait != 1 {
		t.Fatalf("server stats after the client's FIN: %+v", st)
	}
}

// TestSocketCloseResetsPeers: closing a socket resets its connections, so
// the peer's reads fail with ErrReset instead of waiting for a timeout.
func TestSocketCloseResetsPeers(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, server := connectPair(t, a, b)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("read on the closed socket's stream: %v", err)
	}
	server.SetReadDeadline(time.Now().Add(testWait))
	if _, err := server.Read(make([]byte, 1)); !errors.Is(err, ErrReset) {
		t.Fatalf("peer read: %v, want ErrReset", err)
	}
	if st := b.Stats(); st.NumCloseWait != 1 {
		t.Fatalf("peer stats: %+v", st)
	}
	server.Close()
	if st := b.Stats(); st.NumCloseWait != 0 {
		t.Fatalf("peer stats after Close: %+v", st)
	}
}

func TestSocketIPv6(t *testing.T) {
	listen := func() *Socket {
		s, err := Listen("udp6", "[::1]:0", SocketConfig{})
		if err != nil {
			t.Skipf("no IPv6 loopback: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := listen(), listen()
	client, server := connectPair(t, a, b)
	const n = 1 << 20
	errc := make(chan error, 1)
	go func() { errc <- sendPattern(client, 9, n) }()
	sum, err := hashUntil(server, n)
	if err != nil || sum != patternSum(9, n) {
		t.Fatalf("transfer over ::1: %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if got := client.RemoteAddr().(*net.UDPAddr); !got.IP.Equal(net.IPv6loopback) {
		t.Fatalf("remote address %v", got)
	}
}

func TestSocketMaxConnsResets(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{MaxConns: 1})
	connectPair(t, a, b)
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	if _, err := a.DialContext(ctx, addrOf(b)); !errors.Is(err, ErrReset) {
		t.Fatalf("dial past MaxConns: %v, want ErrReset", err)
	}
}

func TestSocketBacklogFullIgnoresSYN(t *testing.T) {
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{AcceptBacklog: 1})
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	// Nobody accepts: the first connection waits in the backlog...
	first, err := a.DialContext(ctx, addrOf(b))
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	// ...and the next SYNs go unanswered until the dial gives up (soon:
	// short SYN timeouts from here on).
	cfg := DefaultConfig()
	cfg.ConnectTimeout = 20 * time.Millisecond
	a.SetConfig(cfg)
	if _, err := a.DialContext(ctx, addrOf(b)); !errors.Is(err, ErrTimedOut) {
		t.Fatalf("dial into a full backlog: %v, want ErrTimedOut", err)
	}
	st := b.Stats()
	if st.BacklogFull == 0 || st.NumIdle != 1 || st.NumConnected != 0 {
		t.Fatalf("stats: %+v", st)
	}
	c, err := b.Accept()
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestStreamKeepsDataPastItsBufferWhenTheConnEnds: the peer sends more
// than the Stream buffers, then closes; the connection ends (FINs both
// ways) before we read. Everything must still be readable.
func TestStreamKeepsDataPastItsBufferWhenTheConnEnds(t *testing.T) {
	const n = 1 << 20 // > the Stream's buffer, <= the Conn's receive buffer
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, server := connectPair(t, a, b)
	if err := sendPattern(client, 4, n); err != nil {
		t.Fatal(err)
	}
	client.Close()
	// Wait for the server's side to end: counted in NumCloseWait.
	deadline := time.Now().Add(testWait)
	for b.Stats().NumCloseWait != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("connection did not end: %+v", b.Stats())
		}
		time.Sleep(time.Millisecond)
	}
	sum, err := hashUntil(server, n)
	if err != nil || sum != patternSum(4, n) {
		t.Fatalf("read after the end: %v", err)
	}
	if _, err := server.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("after the data: %v, want io.EOF", err)
	}
}
