package udprelay

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"testing"
	"time"
)

// bound is how long any one wait in these tests may take before the test
// fails: a bound on a hang, never an expected duration.
const bound = 20 * time.Second

// received is a datagram as the test target read it.
type received struct {
	from netip.AddrPort
	b    []byte
}

// target is the relay's far end on 127.0.0.1: it records what it reads
// and, when echo is set, sends it back to where it came from.
type target struct {
	conn *net.UDPConn
	got  chan received
}

func startTarget(t testing.TB, echo bool) *target {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	tg := &target{conn: conn, got: make(chan received, 1<<16)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, maxDatagram)
		for {
			n, from, err := conn.ReadFromUDPAddrPort(buf)
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				continue
			}
			b := clone(buf[:n])
			select {
			case tg.got <- received{from: from, b: b}:
			default: // the test sees the gap as a missing datagram
			}
			if echo {
				_, _ = conn.WriteToUDPAddrPort(b, from)
			}
		}
	}()
	t.Cleanup(func() { conn.Close(); <-done })
	return tg
}

func (tg *target) addr() netip.AddrPort { return tg.conn.LocalAddr().(*net.UDPAddr).AddrPort() }

// next returns the next datagram the target read.
func (tg *target) next(t testing.TB) received {
	t.Helper()
	select {
	case r := <-tg.got:
		return r
	case <-time.After(bound):
		t.Fatal("the target read nothing")
		return received{}
	}
}

func startRelay(t testing.TB, cfg Config) *Relay {
	t.Helper()
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// dialRelay is a client of r.
func dialRelay(t testing.TB, r *Relay) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(r.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func seqDatagram(seq int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(seq)) }

func readSeq(t *testing.T, c *net.UDPConn) int {
	t.Helper()
	buf := make([]byte, 64)
	_ = c.SetReadDeadline(time.Now().Add(bound))
	n, err := c.Read(buf)
	if err != nil || n != 8 {
		t.Fatalf("reading an echo: %d bytes, %v", n, err)
	}
	return int(binary.BigEndian.Uint64(buf))
}

// waitFor polls cond until it holds (within bound): the relay's counters
// have no event to wait on.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s after %v", what, bound)
		}
		time.Sleep(time.Millisecond)
	}
}

// window is how many datagrams a test sends before it waits for them: a
// few KiB in flight, far below a default socket buffer, so the kernel
// drops nothing and every loss is the relay's.
const window = 32

func TestRelayLosslessInOrderBothWays(t *testing.T) {
	tg := startTarget(t, true)
	r := startRelay(t, Config{Target: tg.addr()})
	c := dialRelay(t, r)
	const n = 64 * window
	for w := 0; w < n; w += window {
		for i := w; i < w+window; i++ {
			if _, err := c.Write(seqDatagram(i)); err != nil {
				t.Fatal(err)
			}
		}
		for i := w; i < w+window; i++ {
			if got := readSeq(t, c); got != i {
				t.Fatalf("echo %d is datagram %d", i, got)
			}
		}
	}
	// A datagram is counted once its write returns, which may be after
	// its echo is read.
	waitFor(t, "the counts", func() bool { st := r.Stats(); return st.Up.Queued+st.Down.Queued == 0 })
	st := r.Stats()
	if st.Up.Forwarded != n || st.Down.Forwarded != n || st.Clients != 1 || st.Up.Dropped+st.Down.Dropped != 0 {
		t.Fatalf("stats %+v; want %d forwarded each way by one client", st, n)
	}
}

// sendCounted sends n datagrams to r in windows, waiting after each
// until the relay has decided on all of them and the target has read
// every one forwarded; it returns them in the target's order.
func sendCounted(t *testing.T, r *Relay, tg *target, c *net.UDPConn, n int) []int {
	t.Helper()
	var seqs []int
	for w := 0; w < n; w += window {
		for i := w; i < min(w+window, n); i++ {
			if _, err := c.Write(seqDatagram(i)); err != nil {
				t.Fatal(err)
			}
		}
		sent := uint64(min(w+window, n))
		waitFor(t, "the relay to take the window", func() bool {
			st := r.Stats().Up
			return st.Forwarded+st.Dropped+uint64(st.Queued) == sent
		})
		// Read what has been forwarded; held ones come with later windows.
		for uint64(len(seqs)) < r.Stats().Up.Forwarded {
			seqs = append(seqs, int(binary.BigEndian.Uint64(tg.next(t).b)))
		}
	}
	waitFor(t, "the relay to empty", func() bool { return r.Stats().Up.Queued == 0 })
	for uint64(len(seqs)) < r.Stats().Up.Forwarded {
		seqs = append(seqs, int(binary.BigEndian.Uint64(tg.next(t).b)))
	}
	return seqs
}

func TestRelayLoss(t *testing.T) {
	tg := startTarget(t, false)
	r := startRelay(t, Config{Target: tg.addr(), Up: Impairment{Loss: 0.01}, Seed: 11})
	c := dialRelay(t, r)
	const n, p = 5000, 0.01
	seqs := sendCounted(t, r, tg, c, n)
	st := r.Stats().Up
	mean, sd := n*p, math.Sqrt(n*p*(1-p))
	if d := float64(st.Dropped); d < mean-6*sd || d > mean+6*sd {
		t.Errorf("%d of %d dropped; want %.0f ± %.0f", st.Dropped, n, mean, 6*sd)
	}
	if uint64(len(seqs)) != st.Forwarded || st.Forwarded+st.Dropped != n {
		t.Errorf("target read %d, stats %+v; every datagram must be dropped or arrive", len(seqs), st)
	}
	if inversions(arrivalsOf(seqs)) != 0 {
		t.Error("loss alone reordered")
	}
}

func TestRelayReorders(t *testing.T) {
	tg := startTarget(t, false)
	r := startRelay(t, Config{Target: tg.addr(), Up: Impairment{Reorder: 0.1, ReorderHold: 200 * time.Millisecond}, Seed: 5})
	c := dialRelay(t, r)
	const n = 1000
	seqs := sendCounted(t, r, tg, c, n)
	st := r.Stats().Up
	inv := inversions(arrivalsOf(seqs))
	if len(seqs) != n || inv == 0 || uint64(inv) != st.Reordered {
		t.Fatalf("%d of %d arrived, %d after a later one, stats %+v; want all, some reordered, as counted", len(seqs), n, inv, st)
	}
}

func arrivalsOf(seqs []int) []arrival {
	as := make([]arrival, len(seqs))
	for i, s := range seqs {
		as[i].seq = s
	}
	return as
}

// TestRelayDelayIsALowerBound: on the monotonic clock no echo comes back
// sooner than both directions' delays (later is the machine's business).
func TestRelayDelayIsALowerBound(t *testing.T) {
	const up, down = 20 * time.Millisecond, 10 * time.Millisecond
	tg := startTarget(t, true)
	r := startRelay(t, Config{Target: tg.addr(), Up: Impairment{Delay: up}, Down: Impairment{Delay: down, Jitter: 5 * time.Millisecond}})
	c := dialRelay(t, r)
	const n = 20
	for i := range n {
		start := time.Now()
		if _, err := c.Write(seqDatagram(i)); err != nil {
			t.Fatal(err)
		}
		if got := readSeq(t, c); got != i {
			t.Fatalf("echo %d is datagram %d", i, got)
		}
		if rtt := time.Since(start); rtt < up+down {
			t.Fatalf("echo %d came back after %v, before the %v of delay", i, rtt, up+down)
		}
	}
	waitFor(t, "the counts", func() bool { st := r.Stats(); return st.Up.Queued+st.Down.Queued == 0 })
	if st := r.Stats(); st.Up.Delayed != n || st.Down.Delayed != n {
		t.Fatalf("stats %+v; want %d delayed each way", st, n)
	}
}

// TestRelayClientsGetTheirOwnUpstream: the target sees one address per
// client, and each reply goes back to its own client.
func TestRelayClientsGetTheirOwnUpstream(t *testing.T) {
	tg := startTarget(t, true)
	r := startRelay(t, Config{Target: tg.addr(), MaxClients: 8})
	var clients []*net.UDPConn
	sources := map[netip.AddrPort]int{}
	for i := range 8 {
		c := dialRelay(t, r)
		clients = append(clients, c)
		if _, err := c.Write(seqDatagram(i)); err != nil {
			t.Fatal(err)
		}
		sources[tg.next(t).from]++
		if got := readSeq(t, c); got != i {
			t.Fatalf("client %d got the reply to %d", i, got)
		}
	}
	for i, c := range clients { // a second round on the same upstreams
		if _, err := c.Write(seqDatagram(100 + i)); err != nil {
			t.Fatal(err)
		}
		sources[tg.next(t).from]++
		if got := readSeq(t, c); got != 100+i {
			t.Fatalf("client %d got the reply to %d", i, got)
		}
	}
	if len(sources) != 8 {
		t.Fatalf("the target saw %d source addresses %v; want one per client, 8", len(sources), sources)
	}
	for a, k := range sources {
		if k != 2 {
			t.Fatalf("source %v sent %d datagrams; want 2", a, k)
		}
	}
	// A ninth client is over MaxClients.
	extra := dialRelay(t, r)
	if _, err := extra.Write(seqDatagram(9)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the ninth client's refusal", func() bool { return r.Stats().RefusedClients == 1 })
	if st := r.Stats(); st.Clients != 8 {
		t.Fatalf("stats %+v; want 8 clients", st)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	target := netip.MustParseAddrPort("127.0.0.1:9")
	for _, cfg := range []Config{
		{},
		{Target: target, Up: Impairment{Loss: 1.5}},
		{Target: target, Down: Impairment{Reorder: -0.1}},
		{Target: target, Up: Impairment{Delay: -time.Second}},
		{Target: target, Down: Impairment{Bandwidth: -1}},
		{Target: target, MaxClients: -1},
	} {
		if r, err := New(cfg); !errors.Is(err, ErrBadConfig) {
			if r != nil {
				r.Close()
			}
			t.Errorf("New(%+v) = %v; want ErrBadConfig", cfg, err)
		}
	}
}

func TestCloseTwice(t *testing.T) {
	r, err := New(Config{Target: netip.MustParseAddrPort("127.0.0.1:9")})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(fmt.Errorf("second Close: %w", err))
	}
}

// TestCloseDiscardsQueued: Close does not wait for delayed datagrams (the
// goroutines' end is goleak's to check).
func TestCloseDiscardsQueued(t *testing.T) {
	tg := startTarget(t, false)
	r, err := New(Config{Target: tg.addr(), Up: Impairment{Delay: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	c := dialRelay(t, r)
	for i := range 10 {
		if _, err := c.Write(seqDatagram(i)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the datagrams to be queued", func() bool { return r.Stats().Up.Queued == 10 })
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats().Up; st.Forwarded != 0 || st.Delayed != 10 {
		t.Fatalf("stats %+v; want 10 delayed, none forwarded", st)
	}
}
