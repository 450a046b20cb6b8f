package utp

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net"
	"testing"
	"time"
)

// patternReader yields n pseudo-random bytes from seed, without holding
// them all.
type patternReader struct {
	rng *rand.ChaCha8
	n   int64
}

func newPatternReader(seed byte, n int64) *patternReader {
	var s [32]byte
	s[0] = seed
	return &patternReader{rng: rand.NewChaCha8(s), n: n}
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.n == 0 {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.n)]
	p.rng.Read(b)
	p.n -= int64(len(b))
	return len(b), nil
}

func patternSum(seed byte, n int64) [32]byte {
	h := sha256.New()
	io.Copy(h, newPatternReader(seed, n))
	var s [32]byte
	h.Sum(s[:0])
	return s
}

// sendPattern writes n pattern bytes from seed to c.
func sendPattern(c net.Conn, seed byte, n int64) error {
	if _, err := io.CopyBuffer(c, newPatternReader(seed, n), make([]byte, 64<<10)); err != nil {
		return err
	}
	return nil
}

func hashUntil(c net.Conn, n int64) ([32]byte, error) {
	h := sha256.New()
	c.SetReadDeadline(time.Now().Add(testWait))
	_, err := io.CopyN(h, c, n)
	var s [32]byte
	h.Sum(s[:0])
	return s, err
}

// TestSocketTransfer64MiBBothWays sends 64 MiB each way on one pair at
// once and checks both with sha256.
func TestSocketTransfer64MiBBothWays(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB each way")
	}
	const n = 64 << 20
	a := listenLoopback(t, SocketConfig{})
	b := listenLoopback(t, SocketConfig{})
	client, server := connectPair(t, a, b)
	errs := make(chan error, 2)
	go func() { errs <- sendPattern(client, 1, n) }()
	go func() { errs <- sendPattern(server, 2, n) }()
	type result struct {
		sum [32]byte
		err error
	}
	res := make(chan result, 2)
	go func() { s, err := hashUntil(server, n); res <- result{s, err} }()
	s, err := hashUntil(client, n)
	if err != nil {
		t.Fatalf("client read: %v", err)
	}
	if s != patternSum(2, n) {
		t.Fatal("client got corrupted data")
	}
	r := <-res
	if r.err != nil {
		t.Fatalf("server read: %v", r.err)
	}
	if r.sum != patternSum(1, n) {
		t.Fatal("server got corrupted data")
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("client socket: %+v", a.Stats())
}

// TestSocketTransferPortablePath runs a transfer both ways over the
// one-datagram-per-call path that systems without recvmmsg use.
func TestSocketTransferPortablePath(t *testing.T) {
	const n = 4 << 20
	listen := func() *Socket {
		pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		s, err := newSocket(pc, SocketConfig{}, false)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := listen(), listen()
	client, server := connectPair(t, a, b)
	errs := make(chan error, 2)
	go func() { errs <- sendPattern(client, 7, n) }()
	go func() { errs <- sendPattern(server, 8, n) }()
	if s, err := hashUntil(server, n); err != nil || s != patternSum(7, n) {
		t.Fatalf("server read: %v", err)
	}
	if s, err := hashUntil(client, n); err != nil || s != patternSum(8, n) {
		t.Fatalf("client read: %v", err)
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
