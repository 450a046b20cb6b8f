package peerlist

import (
	"net/netip"
	"slices"
	"testing"
)

// An incoming peer that told us its listen port is kept at that address
// when its connection ends, and can be connected to again; meanwhile its
// connection's address names it.
func TestListenPortKeepsAnIncomingPeer(t *testing.T) {
	l := New(Config{})
	conn := ap("10.0.0.5:40001")
	if !l.Incoming(conn) {
		t.Fatal("incoming refused")
	}
	l.ListenPort(conn, 6881)
	listen := ap("10.0.0.5:6881")
	if p, ok := l.Lookup(conn); !ok || p.Addr != listen || !p.Connected || !p.ListenPortKnown {
		t.Fatalf("the connection's address does not name the listen entry: %+v %v", p, ok)
	}
	if got := l.Candidates(t0, 10, false); len(got) != 0 {
		t.Fatalf("a connected peer is a candidate: %v", got)
	}
	l.SetSeed(conn, true)
	l.PiecePassed(conn)
	l.Closed(conn, false)
	p, ok := l.Lookup(listen)
	if !ok || p.Connected || !p.Seed || p.Trust != 1 || p.Source != FromIncoming {
		t.Fatalf("after the connection: %+v %v", p, ok)
	}
	if _, ok := l.Lookup(conn); ok {
		t.Fatal("the ephemeral address is still known")
	}
	if got := l.Candidates(t0, 10, false); !slices.Equal(got, []netip.AddrPort{listen}) {
		t.Fatalf("candidates %v, want the listen address", got)
	}
}

// Without a listen port an incoming peer is forgotten with its
// connection, as before.
func TestIncomingWithoutListenPortIsDropped(t *testing.T) {
	l := New(Config{})
	conn := ap("10.0.0.5:40001")
	l.Incoming(conn)
	l.ListenPort(conn, 40001) // its own port: nothing learnt
	l.Closed(conn, false)
	if l.Len() != 0 {
		t.Fatalf("%d peers left", l.Len())
	}
}

// A listen address the list knew already (a tracker's) takes the
// connection over: one entry, connected, with both sources; a ban
// through the connection's address bans it.
func TestListenPortMergesWithAKnownPeer(t *testing.T) {
	l := New(Config{})
	listen := ap("10.0.0.5:6881")
	l.Add(listen, FromTracker)
	conn := ap("10.0.0.5:40001")
	l.Incoming(conn)
	l.ListenPort(conn, 6881)
	if l.Len() != 1 {
		t.Fatalf("%d entries, want 1", l.Len())
	}
	p, _ := l.Lookup(listen)
	if !p.Connected || p.Source != FromTracker|FromIncoming {
		t.Fatalf("merged entry %+v", p)
	}
	l.Ban(conn)
	if !l.Banned(listen) {
		t.Fatal("a ban through the connection's address missed the peer")
	}
	l.Closed(conn, false)
	if got := l.Candidates(t0, 10, false); len(got) != 0 || !l.Banned(listen) {
		t.Fatalf("a banned peer is a candidate (%v) or was forgotten", got)
	}
}

// Only an incoming connection's entry learns a port: an outgoing
// connection's address is its listen address already.
func TestListenPortIgnoredForOutgoing(t *testing.T) {
	l := New(Config{})
	out := ap("10.0.0.6:6881")
	l.Add(out, FromTracker)
	l.Connecting(out, t0)
	l.ListenPort(out, 7000)
	if _, ok := l.Lookup(ap("10.0.0.6:7000")); ok || l.Len() != 1 {
		t.Fatal("an outgoing peer's entry moved")
	}
}
