package actorrent

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/wire"
)

// The filter tests run on loopback addresses other than 127.0.0.1 (Linux
// routes all of 127.0.0.0/8 to lo), one per role, so that a filter can
// block one peer and not another.

// fakePeer is a peer on its own loopback address: it answers handshakes
// for one torrent and then stays silent, so a connection to it lasts
// until the session closes it.
type fakePeer struct {
	addr     string
	accepted chan string // the remote address of each connection
	closed   chan string // the remote address of each connection that ended
	mu       sync.Mutex
	conns    []net.Conn
	wg       sync.WaitGroup
}

func newFakePeer(t *testing.T, host string, ih InfoHash) *fakePeer {
	t.Helper()
	ln, err := net.Listen("tcp", host+":0")
	if err != nil {
		t.Fatal(err)
	}
	p := &fakePeer{addr: ln.Addr().String(), accepted: make(chan string, 16), closed: make(chan string, 16)}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c)
			p.mu.Unlock()
			p.accepted <- c.RemoteAddr().String()
			p.wg.Add(1)
			go p.serve(c, ih)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *fakePeer) serve(c net.Conn, ih InfoHash) {
	defer p.wg.Done()
	defer func() { p.closed <- c.RemoteAddr().String() }()
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	if _, err := wire.ReadHandshake(c); err != nil {
		return
	}
	var id [20]byte
	copy(id[:], "-FP0000-fakepeer0000")
	if err := wire.WriteHandshake(c, wire.Handshake{InfoHash: ih, PeerID: id}); err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, c) // until the session closes it
}

// port is the fake peer's port.
func (p *fakePeer) port() uint16 { return netip.MustParseAddrPort(p.addr).Port() }

// wasDialled reports whether anything connected to the peer so far.
func (p *fakePeer) wasDialled() bool { return len(p.accepted) > 0 }

// waitClosed waits until a connection to the peer ends.
func (p *fakePeer) waitClosed(ctx context.Context, t *testing.T, what string) {
	t.Helper()
	select {
	case <-p.closed:
	case <-ctx.Done():
		t.Fatalf("timed out waiting for %s", what)
	}
}

// filterTorrents counts the torrents filterTorrent made: each has its
// own payload, so its own info-hash.
var filterTorrents atomic.Int64

// filterTorrent is a small torrent whose payload nobody has: sessions
// that add it stay downloading, and their connections stay up.
func filterTorrent(t *testing.T) *TorrentInfo {
	t.Helper()
	src := t.TempDir()
	writePayload(t, src, map[string]int64{"f/a.bin": 100000}, filterTorrents.Add(1))
	ti, err := CreateTorrent(filepath.Join(src, "f"), CreateTorrentOptions{PieceSize: 16 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	return ti
}

// filterSession is a test session (settings from testSettings, changed
// by set) with every alert logged.
func filterSession(t *testing.T, set func(*SettingsPack)) (*Session, *alertLog) {
	t.Helper()
	p := testSettings()
	if set != nil {
		set(&p)
	}
	s := newTestSessionWith(t, p)
	log := &alertLog{wake: make(chan struct{}, 1)}
	ch, err := s.Subscribe(context.Background(), CategoryAll)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for a := range ch {
			log.add(a)
		}
	}()
	return s, log
}

// blockingFilter blocks each of the ranges ("first-last" or one address).
func blockingFilter(t *testing.T, ranges ...[2]string) *IPFilter {
	t.Helper()
	f := &IPFilter{}
	for _, r := range ranges {
		if err := f.AddRule(netip.MustParseAddr(r[0]), netip.MustParseAddr(r[1]), IPFilterBlocked); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// one is the range of one address.
func one(a string) [2]string { return [2]string{a, a} }

// blockedAlert waits for the peer_blocked alert of endpoint.
func blockedAlert(ctx context.Context, t *testing.T, log *alertLog, endpoint string) PeerBlockedAlert {
	t.Helper()
	return log.wait(ctx, t, "peer_blocked for "+endpoint, func(a Alert) bool {
		b, ok := a.(PeerBlockedAlert)
		return ok && b.Endpoint == endpoint
	}).(PeerBlockedAlert)
}

// connectedTo waits for the torrent's peer_connect to addr.
func connectedTo(ctx context.Context, t *testing.T, log *alertLog, h TorrentHandle, addr string) {
	t.Helper()
	log.wait(ctx, t, "peer_connect to "+addr, func(a Alert) bool {
		c, ok := a.(PeerConnectAlert)
		return ok && c.Handle == h && c.Endpoint == addr
	})
}

// listPeers is the torrent's list_peers once the status is read.
func listPeers(ctx context.Context, t *testing.T, h TorrentHandle) int {
	t.Helper()
	st, err := h.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st.ListPeers
}

// trackerAt is an HTTP tracker listening on host that hands out peers
// (compact IPv4) and counts the announces it gets.
func trackerAt(t *testing.T, host string, peers ...string) (url string, announces *atomic.Int32) {
	t.Helper()
	var compact []byte
	for _, p := range peers {
		ap := netip.MustParseAddrPort(p)
		a4 := ap.Addr().As4()
		compact = binary.BigEndian.AppendUint16(append(compact, a4[:]...), ap.Port())
	}
	announces = &atomic.Int32{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		announces.Add(1)
		fmt.Fprintf(w, "d8:intervali1800e5:peers%d:%se", len(compact), compact)
	}))
	ln, err := net.Listen("tcp", host+":0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + "/announce", announces
}

// handshakeFrom dials the session at addr from the loopback address
// local, sends a handshake for ih and reports whether the session
// answered with its own (a refused connection is closed unanswered).
func handshakeFrom(t *testing.T, local, addr string, ih InfoHash) (localAddr string, answered bool) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	var id [20]byte
	copy(id[:], "-FP0000-incoming0000")
	if err := wire.WriteHandshake(c, wire.Handshake{InfoHash: ih, PeerID: id}); err != nil {
		t.Fatal(err)
	}
	_, err = wire.ReadHandshake(c)
	return c.LocalAddr().String(), err == nil
}
