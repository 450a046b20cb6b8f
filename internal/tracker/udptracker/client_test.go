package udptracker

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/internal/tracker/udptracker/udptest"
)

// fastConfig retransmits quickly so loss tests take milliseconds of
// virtual time; tests that count packets with it run on a memNet in a
// synctest bubble, where a reply is never late.
func fastConfig() Config {
	return Config{RetransmitBase: 20 * time.Millisecond, MaxRetries: 3}
}

// socketConfig is for tests on real sockets, which count packets too: it
// retransmits only after BEP 15's 15 s, so a reply slowed down by a busy
// machine is not taken for a lost one.
func socketConfig() Config {
	return Config{MaxRetries: 3}
}

func newClient(t *testing.T, network, laddr string, cfg Config) *Client {
	t.Helper()
	c, err := Listen(network, laddr, cfg)
	if err != nil {
		t.Skipf("listen %s %s: %v", network, laddr, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// testCtx bounds a call: only a hung test meets it (in a synctest bubble
// it is virtual time, and loopback never takes this long).
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func announceReq(port int, left int64) AnnounceRequest {
	return AnnounceRequest{
		InfoHash: [20]byte{1, 2, 3}, PeerID: [20]byte{byte(port)}, Port: port,
		Left: left, Event: EventStarted, NumWant: 50, Key: 7,
	}
}

func TestAnnounceAndScrape(t *testing.T) {
	for _, fam := range []struct{ name, trackerNet, trackerAddr, clientNet, clientAddr string }{
		{"ipv4", "udp4", "127.0.0.1:0", "udp4", "127.0.0.1:0"},
		{"ipv6", "udp6", "[::1]:0", "udp6", "[::1]:0"},
		{"ipv4 tracker, dual-stack client", "udp4", "127.0.0.1:0", "udp", ":0"},
	} {
		t.Run(fam.name, func(t *testing.T) {
			ft := startFakeTracker(t, fam.trackerNet, fam.trackerAddr)
			seeder := newClient(t, fam.clientNet, fam.clientAddr, socketConfig())
			leecher := newClient(t, fam.clientNet, fam.clientAddr, socketConfig())
			ctx := testCtx(t)

			r1, err := seeder.Announce(ctx, ft.addr(), announceReq(6881, 0))
			if err != nil {
				t.Fatal(err)
			}
			if len(r1.Peers) != 0 || r1.Interval != 1800*time.Second {
				t.Fatalf("first announce: %+v", r1)
			}
			r2, err := leecher.Announce(ctx, ft.addr(), announceReq(6882, 100))
			if err != nil {
				t.Fatal(err)
			}
			host, _, _ := net.SplitHostPort(ft.addr())
			want := netip.AddrPortFrom(netip.MustParseAddr(host), 6881)
			if !slices.Equal(r2.Peers, []netip.AddrPort{want}) || r2.Complete != 1 {
				t.Fatalf("second announce: %+v, want peer %v", r2, want)
			}
			sc, err := leecher.Scrape(ctx, ft.addr(), [20]byte{1, 2, 3}, [20]byte{9})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sc, []ScrapeResponse{{Complete: 1, Incomplete: 1}, {}}) {
				t.Fatalf("scrape: %+v", sc)
			}
			if n := ft.count(ActionConnect); n != 2 {
				t.Fatalf("%d connects, want one per client", n)
			}
		})
	}
}

func TestRetransmitsLostPackets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := udptest.NewNet()
		ft := startMemTracker(t, n)
		ft.setScript(func(r fakeRequest) ([][]byte, bool) {
			return nil, r.n <= 2 // drop the first two connects
		})
		c := newMemClient(t, n, fastConfig())
		start := time.Now()
		if _, err := c.Announce(testCtx(t), ft.addr(), announceReq(1, 0)); err != nil {
			t.Fatal(err)
		}
		if n := ft.count(ActionConnect); n != 3 {
			t.Fatalf("%d connects, want 3", n)
		}
		// 20 + 40 ms of waiting before the third connect was answered.
		if el := time.Since(start); el != 60*time.Millisecond {
			t.Fatalf("answered after %v, want 60ms", el)
		}
	})
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := udptest.NewNet()
		ft := startMemTracker(t, n)
		ft.setScript(func(fakeRequest) ([][]byte, bool) { return nil, true }) // a black hole
		cfg := Config{RetransmitBase: 5 * time.Millisecond, MaxRetries: 2}
		c := newMemClient(t, n, cfg)
		start := time.Now()
		_, err := c.Announce(testCtx(t), ft.addr(), announceReq(1, 0))
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		// 5 + 10 + 20 ms of waiting: the backoff doubled.
		if el := time.Since(start); el != 35*time.Millisecond {
			t.Fatalf("gave up after %v, want 35ms", el)
		}
		if n := ft.count(ActionConnect); n != 3 {
			t.Fatalf("%d sends, want 3 (1 + MaxRetries)", n)
		}

		none := newMemClient(t, n, Config{RetransmitBase: 5 * time.Millisecond, MaxRetries: -1})
		if _, err := none.Announce(testCtx(t), ft.addr(), announceReq(1, 0)); !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v", err)
		}
		if n := ft.count(ActionConnect); n != 4 {
			t.Fatalf("MaxRetries -1 sent %d packets, want 1", n-3)
		}
	})
}

func TestContextCapsRetransmission(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := udptest.NewNet()
		ft := startMemTracker(t, n)
		ft.setScript(func(fakeRequest) ([][]byte, bool) { return nil, true })
		c := newMemClient(t, n, Config{RetransmitBase: 10 * time.Millisecond, MaxRetries: 50})
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		_, err := c.Announce(ctx, ft.addr(), announceReq(1, 0))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want DeadlineExceeded", err)
		}
		// Sent at 0, 10, 30 and 70 ms; the next would be at 150.
		if n := ft.count(ActionConnect); n != 4 {
			t.Fatalf("%d sends within 100 ms, want 4 (backoff doubling)", n)
		}
	})
}

// fakeClock is a settable clock for connection-id expiry.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestConnectionIDCachedForAMinute(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := udptest.NewNet()
		ft := startMemTracker(t, n)
		clock := &fakeClock{now: time.Unix(1000, 0)}
		cfg := fastConfig()
		cfg.Now = clock.Now
		c := newMemClient(t, n, cfg)
		ctx := testCtx(t)
		for i := 0; i < 3; i++ {
			if _, err := c.Announce(ctx, ft.addr(), announceReq(1, 0)); err != nil {
				t.Fatal(err)
			}
			clock.advance(15 * time.Second) // announces at 0, 15, 30 s, scrape at 45 s
		}
		if _, err := c.Scrape(ctx, ft.addr(), [20]byte{1}); err != nil {
			t.Fatal(err)
		}
		if n := ft.count(ActionConnect); n != 1 {
			t.Fatalf("%d connects within the TTL, want 1", n)
		}
		clock.advance(DefaultConnIDTTL) // now past 60 s
		if _, err := c.Announce(ctx, ft.addr(), announceReq(1, 0)); err != nil {
			t.Fatal(err)
		}
		if n := ft.count(ActionConnect); n != 2 {
			t.Fatalf("%d connects after expiry, want 2", n)
		}
	})
}

func TestConcurrentAnnouncesShareConnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		testConcurrentAnnouncesShareConnect(t)
	})
}

func testConcurrentAnnouncesShareConnect(t *testing.T) {
	mn := udptest.NewNet()
	ft := startMemTracker(t, mn)
	release := make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs before the tracker's cleanup, even on failure
	ft.setScript(func(r fakeRequest) ([][]byte, bool) {
		if r.action == ActionConnect {
			<-release // hold the connect until every announce is waiting
		}
		return nil, false
	})
	c := newMemClient(t, mn, Config{RetransmitBase: 5 * time.Second})
	ctx := testCtx(t)
	const n = 10
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			_, err := c.Announce(ctx, ft.addr(), announceReq(1000+i, 0))
			errs <- err
		}()
	}
	synctest.Wait() // every announce is parked: one connecting, the rest on it
	if w := c.waitingOnConnect(); w != n-1 {
		t.Fatalf("%d announces wait on the connect, want %d", w, n-1)
	}
	unblock()
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := ft.count(ActionConnect); got != 1 {
		t.Fatalf("%d connects for %d concurrent announces, want 1", got, n)
	}
	if got := ft.count(ActionAnnounce); got != n {
		t.Fatalf("%d announces, want %d", got, n)
	}
}

// waitFor polls cond, for state that the code under test reaches without
// telling anyone (goroutines parked on a channel), on real sockets where
// synctest.Wait cannot tell; the deadline only ends a hung test.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestTrackerErrorAction(t *testing.T) {
	synctest.Test(t, testTrackerErrorAction)
}

func testTrackerErrorAction(t *testing.T) {
	n := udptest.NewNet()
	ft := startMemTracker(t, n)
	ft.setScript(func(r fakeRequest) ([][]byte, bool) {
		if r.action == ActionAnnounce {
			return [][]byte{encodeErrorReply(r.tx, "torrent not registered\x00")}, true
		}
		return nil, false
	})
	c := newMemClient(t, n, fastConfig())
	ctx := testCtx(t)
	_, err := c.Announce(ctx, ft.addr(), announceReq(1, 0))
	var fe *FailureError
	if !errors.As(err, &fe) || fe.Reason != "torrent not registered" {
		t.Fatalf("err = %v", err)
	}
	if n := ft.count(ActionAnnounce); n != 1 {
		t.Fatalf("a refusal on a fresh connection id was retried: %d announces", n)
	}
	// The refused id is not reused.
	_, _ = c.Announce(ctx, ft.addr(), announceReq(1, 0))
	if n := ft.count(ActionConnect); n != 2 {
		t.Fatalf("%d connects, want 2", n)
	}
}

func TestCachedIDRefusedIsRetriedOnce(t *testing.T) {
	synctest.Test(t, testCachedIDRefusedIsRetriedOnce)
}

func testCachedIDRefusedIsRetriedOnce(t *testing.T) {
	n := udptest.NewNet()
	ft := startMemTracker(t, n)
	c := newMemClient(t, n, fastConfig())
	ctx := testCtx(t)
	if _, err := c.Announce(ctx, ft.addr(), announceReq(1, 0)); err != nil {
		t.Fatal(err)
	}
	ft.mu.Lock()
	clear(ft.ids) // the tracker restarts and forgets our id
	ft.mu.Unlock()
	if _, err := c.Announce(ctx, ft.addr(), announceReq(1, 0)); err != nil {
		t.Fatalf("announce after tracker restart: %v", err)
	}
	if c, a := ft.count(ActionConnect), ft.count(ActionAnnounce); c != 2 || a != 3 {
		t.Fatalf("%d connects, %d announces; want 2, 3", c, a)
	}
}
