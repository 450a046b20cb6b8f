package peeractor

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/actors"
	"github.com/actorrent/actorrent/internal/ratelimit"
	"github.com/actorrent/actorrent/internal/wire"
	"github.com/actorrent/actorrent/messages"
	"github.com/asynkron/protoactor-go/actor"
)

var errNoUTPHere = errors.New("test: no uTP at this address")

// transportCase is one outgoing connect: the settings, what the uTP dial
// does, and what must come of it.
type transportCase struct {
	name             string
	values           map[string]any
	utpOK, noUTP     bool
	hostName         bool // dial "localhost:port", not a numeric address
	wantUTPTried     bool
	wantUTP, wantErr bool
	wantFailed       bool // the uTP connect failed and was reported
}

// TestOutgoingTransport: uTP first unless it is off, the peer is known to
// lack it or the address is a name; TCP at once after a failed uTP
// connect when TCP may dial; an error when nothing may.
func TestOutgoingTransport(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	noTCP := map[string]any{"enable_outgoing_tcp": false}
	cases := []transportCase{
		{name: "uTP connects", utpOK: true, wantUTPTried: true, wantUTP: true},
		{name: "uTP fails, TCP at once", wantUTPTried: true, wantFailed: true},
		{name: "uTP fails, TCP off", values: noTCP, wantUTPTried: true, wantFailed: true, wantUTP: true, wantErr: true},
		{name: "peer lacks uTP", utpOK: true, noUTP: true},
		{name: "peer lacks uTP, TCP off: uTP all the same", values: noTCP, utpOK: true, noUTP: true, wantUTPTried: true, wantUTP: true},
		{name: "outgoing uTP off", utpOK: true, values: map[string]any{"enable_outgoing_utp": false}},
		{name: "a host name goes over TCP", utpOK: true, hostName: true},
		{name: "both off", values: map[string]any{"enable_outgoing_tcp": false, "enable_outgoing_utp": false}, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var tried, failed, fellBack atomic.Int32
			addr := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)).String()
			if tc.hostName {
				addr = net.JoinHostPort("localhost", strconv.Itoa(port))
			}
			cfg := Config{Addr: addr, NoUTP: tc.noUTP, DialUTP: func(ctx context.Context, ap netip.AddrPort) (net.Conn, error) {
				tried.Add(1)
				if !tc.utpOK {
					return nil, errNoUTPHere
				}
				local, remote := net.Pipe()
				remote.Close()
				return local, nil
			}}
			o := outgoing{cfg: &cfg, set: settingsWith(t, tc.values),
				failedUTP: func() { failed.Add(1) }, fellBack: func() { fellBack.Add(1) }}
			conn, utp, err := o.connect(context.Background())
			if conn != nil {
				conn.Close()
			}
			if (err != nil) != tc.wantErr || utp != tc.wantUTP {
				t.Fatalf("connect: utp %v, err %v", utp, err)
			}
			if (tried.Load() > 0) != tc.wantUTPTried || (failed.Load() > 0) != tc.wantFailed {
				t.Fatalf("uTP tried %d times, failure reported %d times", tried.Load(), failed.Load())
			}
			if want := tc.wantFailed && !tc.wantErr; (fellBack.Load() > 0) != want {
				t.Fatalf("fell back to TCP %d times, want %v", fellBack.Load(), want)
			}
		})
	}
}

// TestUTPConnection: a connection made over uTP says so to the torrent
// (PeerConnected.UTP) and in its peer info (utp_socket); a failed uTP
// connect with TCP off is reported (PeerUTPFailed), then the peer closes.
func TestUTPConnection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var ih messages.InfoHash
		copy(ih[:], "info-hash-of-the-tst")
		var rp *recordingParent
		var remote net.Conn
		dialed := make(chan struct{})
		sys := actors.NewSystem(nil)
		rp = &recordingParent{cfg: Config{Key: 3, InfoHash: ih, Credit: actors.NewCredit(1 << 20), Addr: "10.1.2.3:6881",
			Settings: settingsWith(t, nil),
			DialUTP: func(ctx context.Context, ap netip.AddrPort) (net.Conn, error) {
				local, r := net.Pipe()
				remote = r
				close(dialed)
				return local, nil
			}}}
		parent := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return rp }))
		<-dialed
		if _, err := wire.ReadHandshake(remote); err != nil {
			t.Fatal(err)
		}
		var theirs [20]byte
		copy(theirs[:], "-TT0000-theirs------")
		go func() { _ = wire.WriteHandshake(remote, wire.Handshake{InfoHash: ih, PeerID: theirs}) }()
		go func() { _, _ = io.Copy(io.Discard, remote) }()
		pc := rp.wait(t, "PeerConnected", func(m any) bool { _, ok := m.(*messages.PeerConnected); return ok }).(*messages.PeerConnected)
		if !pc.UTP {
			t.Fatal("a uTP connection reported as TCP")
		}
		res, err := sys.Root.RequestFuture(rp.child, &messages.GetPeerInfo{}, 5*time.Second).Result()
		if err != nil {
			t.Fatal(err)
		}
		if pi := res.(*messages.PeerInfo); pi.Flags&messages.PeerUTPSocket == 0 || pi.Flags&messages.PeerOutgoingConnection == 0 {
			t.Fatalf("peer info flags %#x lack utp_socket or local_connection", pi.Flags)
		}
		remote.Close()
		_ = sys.Root.StopFuture(parent).Wait()

		rp2 := &recordingParent{cfg: Config{Key: 4, InfoHash: ih, Credit: actors.NewCredit(1 << 20), Addr: "10.1.2.3:6881",
			Settings: settingsWith(t, map[string]any{"enable_outgoing_tcp": false}),
			DialUTP: func(ctx context.Context, ap netip.AddrPort) (net.Conn, error) {
				return nil, errNoUTPHere
			}}}
		parent2 := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return rp2 }))
		rp2.wait(t, "PeerUTPFailed", func(m any) bool { f, ok := m.(*messages.PeerUTPFailed); return ok && f.Key == 4 })
		cl := rp2.wait(t, "PeerClosed", func(m any) bool { _, ok := m.(*messages.PeerClosed); return ok }).(*messages.PeerClosed)
		if !errors.Is(cl.Err, errNoUTPHere) {
			t.Fatalf("closed with %v", cl.Err)
		}
		_ = sys.Root.StopFuture(parent2).Wait()
		sys.Shutdown()
		time.Sleep(sys.Config.DeadLetterThrottleInterval + time.Second)
	})
}

// A uTP peer's classes are looked up as the utp socket type: it is not in
// the tcp class, and a type filter that keeps uTP out of the global class
// (rate_limit_utp off) leaves it unlimited where a TCP peer is limited.
func TestUTPPeerClasses(t *testing.T) {
	gate := actors.NewBandwidth(0)
	defer gate.Close()
	if err := gate.SetClassLimit(ratelimit.GlobalClass, ratelimit.Download, 1<<20); err != nil {
		t.Fatal(err)
	}
	f := gate.TypeFilter()
	f.Disallow(ratelimit.UTPSocket, ratelimit.GlobalClass)
	gate.SetTypeFilter(f)
	remote := &net.UDPAddr{IP: net.ParseIP(internet), Port: 6881}
	var tcp, utp peerBandwidth
	tcp.connect(Config{Bandwidth: gate}, remote, socketType(false), nil)
	utp.connect(Config{Bandwidth: gate}, remote, socketType(true), nil)
	if tcp.mask != ratelimit.Mask(ratelimit.GlobalClass, ratelimit.TCPClass) || !tcp.limited(ratelimit.Download) {
		t.Fatalf("TCP peer: classes %#x, limited %v", tcp.mask, tcp.limited(ratelimit.Download))
	}
	if utp.mask != 0 || utp.limited(ratelimit.Download) {
		t.Fatalf("uTP peer: classes %#x, limited %v", utp.mask, utp.limited(ratelimit.Download))
	}
}
