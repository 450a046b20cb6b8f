package torrentactor

import (
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/actorrent/actorrent/messages"
)

// addrConn is an incoming connection from addr that records its Close.
type addrConn struct {
	net.Conn // nil: only RemoteAddr and Close are called
	addr     net.Addr
	closed   atomic.Bool
}

func (c *addrConn) RemoteAddr() net.Addr { return c.addr }
func (c *addrConn) Close() error         { c.closed.Store(true); return nil }

// Ban by IP (allow_multiple_connections_per_ip): off, as by default, a
// torrent connects to one port of an IP (its other ports wait), and a
// second incoming connection from a connected IP is closed; on, every
// port is a peer of its own.
func TestOneConnectionPerIP(t *testing.T) {
	tests := []struct {
		name     string
		allow    bool
		dialed   int  // of 10.0.0.1:1, 10.0.0.1:2 and 10.0.0.2:1
		accepted bool // an incoming connection from 10.0.0.2:9999
		connect  bool // a user's ConnectPeer to 10.0.0.2:7 dials
	}{
		{"one per IP (default)", false, 2, false, false},
		{"several per IP", true, 3, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				addrs := []string{"10.0.0.1:1", "10.0.0.1:2", "10.0.0.2:1", "10.0.0.2:7"}
				r, pid, f := peerListRig(t, Config{Settings: withSettings(map[string]any{
					"allow_multiple_connections_per_ip": tt.allow,
				})}, addrs...)
				r.sys.Root.Send(pid, trackerPeers(addrs[:3]...))
				advance(2 * time.Second)
				if got := f.dialed(); len(got) != tt.dialed {
					t.Fatalf("dialed %v, want %d connections", got, tt.dialed)
				}
				if got := f.dialed(); !tt.allow && slices.Contains(got, "10.0.0.1:1") == slices.Contains(got, "10.0.0.1:2") {
					t.Fatalf("dialed %v, want exactly one port of 10.0.0.1", got)
				}
				conn := &addrConn{addr: &net.TCPAddr{IP: net.IPv4(10, 0, 0, 2), Port: 9999}}
				r.sys.Root.Send(pid, &messages.AttachPeer{Conn: conn})
				advance(time.Second)
				if conn.closed.Load() == tt.accepted {
					t.Fatalf("incoming from a connected IP closed = %v, want %v", conn.closed.Load(), !tt.accepted)
				}
				before := len(f.dialed())
				r.sys.Root.Send(pid, &messages.ConnectPeer{Addr: "10.0.0.2:7"})
				advance(time.Second)
				if got := f.dialed(); (len(got) > before) != tt.connect {
					t.Fatalf("connect_peer to a connected IP dialed = %v, want %v (%v)", len(got) > before, tt.connect, got)
				}
			})
		})
	}
}
