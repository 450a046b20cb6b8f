package udptracker

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/internal/tracker/udptracker/udptest"
)

// TestIgnoresGarbageAndSpoofs: on the first announce the tracker's own
// socket sends junk with the right transaction id and a third party sends
// a well-formed but forged reply; only the retransmission is answered for
// real. The client must come back with the real reply.
func TestIgnoresGarbageAndSpoofs(t *testing.T) {
	synctest.Test(t, testIgnoresGarbageAndSpoofs)
}

func testIgnoresGarbageAndSpoofs(t *testing.T) {
	n := udptest.NewNet()
	ft := startMemTracker(t, n)
	spoofer := n.Listen("127.0.0.1")
	defer spoofer.Close()
	real := netip.MustParseAddrPort("1.2.3.4:5")
	forged := netip.MustParseAddrPort("6.6.6.6:666")
	announces := 0
	ft.setScript(func(r fakeRequest) ([][]byte, bool) {
		if r.action != ActionAnnounce {
			return nil, false
		}
		if announces++; announces > 1 {
			return [][]byte{encodeAnnounceReply(r.tx, AnnounceResponse{Interval: time.Minute, Peers: []netip.AddrPort{real}}, false)}, true
		}
		_, _ = spoofer.WriteTo(encodeAnnounceReply(r.tx, AnnounceResponse{Peers: []netip.AddrPort{forged}}, false), r.from)
		_, _ = spoofer.WriteTo(encodeErrorReply(r.tx, "forged failure"), r.from)
		huge := append(appendHeader(nil, 99, r.tx), bytes.Repeat([]byte{0xee}, 65000)...)
		return [][]byte{
			{1, 2, 3},                               // too short for a header
			appendHeader(nil, ActionAnnounce, r.tx), // announce reply without a body
			encodeConnectReply(r.tx, 42),            // the wrong action
			encodeScrapeReply(r.tx, []ScrapeResponse{{Complete: 9}}),
			appendHeader(nil, ActionAnnounce, r.tx+1), // someone else's transaction
			huge, // unknown action, 64 KiB
		}, true
	})
	c := newMemClient(t, n, Config{RetransmitBase: 50 * time.Millisecond, MaxRetries: 3})
	resp, err := c.Announce(testCtx(t), ft.addr(), announceReq(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(resp.Peers, []netip.AddrPort{real}) || resp.Interval != time.Minute {
		t.Fatalf("got %+v, want the real reply", resp)
	}
}

func TestBadRequestsAndAddresses(t *testing.T) {
	c := newClient(t, "udp4", "127.0.0.1:0", socketConfig())
	ctx := testCtx(t)
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"port too big", errOf(c.Announce(ctx, "127.0.0.1:1", AnnounceRequest{Port: 70000})), ErrBadRequest},
		{"negative port", errOf(c.Announce(ctx, "127.0.0.1:1", AnnounceRequest{Port: -1})), ErrBadRequest},
		{"bad event", errOf(c.Announce(ctx, "127.0.0.1:1", AnnounceRequest{Event: 9})), ErrBadRequest},
		{"no hashes", errOf(c.Scrape(ctx, "127.0.0.1:1")), ErrBadRequest},
		{"too many hashes", errOf(c.Scrape(ctx, "127.0.0.1:1", make([][20]byte, MaxScrapeHashes+1)...)), ErrBadRequest},
		{"no port", errOf(c.Announce(ctx, "127.0.0.1", AnnounceRequest{})), ErrBadAddress},
		{"port 0", errOf(c.Announce(ctx, "127.0.0.1:0", AnnounceRequest{})), ErrBadAddress},
		{"empty host", errOf(c.Announce(ctx, ":80", AnnounceRequest{})), ErrBadAddress},
		{"ipv6 from an ipv4 socket", errOf(c.Announce(ctx, "[::1]:80", AnnounceRequest{})), ErrBadAddress},
		{"unspecified", errOf(c.Announce(ctx, "0.0.0.0:80", AnnounceRequest{})), ErrBadAddress},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, tc.err, tc.want)
		}
	}
}

func errOf[T any](_ T, err error) error { return err }

func TestResolverPicksReachableFamily(t *testing.T) {
	ft := startFakeTracker(t, "udp4", "127.0.0.1:0")
	// Real sockets (a udp4 one, whose family the resolver's answers are
	// matched against); the fake tracker answers every packet.
	_, port, _ := net.SplitHostPort(ft.addr())
	var asked []string
	cfg := socketConfig()
	cfg.Resolve = func(_ context.Context, host string) ([]netip.Addr, error) {
		asked = append(asked, host)
		if host == "missing.test" {
			return nil, errors.New("no such host")
		}
		return []netip.Addr{netip.MustParseAddr("::1"), netip.MustParseAddr("::ffff:127.0.0.1")}, nil
	}
	c := newClient(t, "udp4", "127.0.0.1:0", cfg)
	if _, err := c.Announce(testCtx(t), "tracker.test:"+port, announceReq(1, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Announce(testCtx(t), "missing.test:"+port, announceReq(1, 0)); !errors.Is(err, ErrBadAddress) {
		t.Fatalf("unresolvable host: %v", err)
	}
	if !slices.Equal(asked, []string{"tracker.test", "missing.test"}) {
		t.Fatalf("resolver asked %v", asked)
	}
}

func TestCloseUnblocksCalls(t *testing.T) {
	ft := startFakeTracker(t, "udp4", "127.0.0.1:0")
	ft.setScript(func(fakeRequest) ([][]byte, bool) { return nil, true })
	c, err := Listen("udp4", "127.0.0.1:0", Config{RetransmitBase: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := c.Announce(context.Background(), ft.addr(), announceReq(1, 0))
		errc <- err
	}()
	waitFor(t, func() bool { return ft.count(ActionConnect) == 1 })
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v, want ErrClosed", err)
	}
	if _, err := c.Announce(context.Background(), ft.addr(), announceReq(1, 0)); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
	_ = c.Close() // idempotent
}

func TestGivenConnIsNotClosed(t *testing.T) {
	ft := startFakeTracker(t, "udp4", "127.0.0.1:0")
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := New(conn, socketConfig())
	if _, err := c.Announce(testCtx(t), ft.addr(), announceReq(1, 0)); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.WriteTo([]byte("still open"), ft.conn.LocalAddr()); err != nil {
		t.Fatalf("conn closed by Client.Close: %v", err)
	}
}

func TestHostPort(t *testing.T) {
	for in, want := range map[string]string{
		"udp://tracker.example:6969/announce": "tracker.example:6969",
		"UDP://1.2.3.4:80":                    "1.2.3.4:80",
		"udp://[2001:db8::1]:1337/a?b=c":      "[2001:db8::1]:1337",
	} {
		if got, err := HostPort(in); err != nil || got != want {
			t.Errorf("HostPort(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"http://t:80/announce", "udp://t/announce", "udp://:80", "::"} {
		if _, err := HostPort(bad); !errors.Is(err, ErrBadAddress) {
			t.Errorf("HostPort(%q) = %v", bad, err)
		}
	}
}
