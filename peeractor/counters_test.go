package peeractor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/wire"
)

// Disconnect reasons are counted as libtorrent counts them: every end is
// a disconnected peer, plus at most one reason.
func TestCountDisconnect(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		protocol bool
		dialing  bool
		want     []stats.Index
	}{
		{"eof", fmt.Errorf("read: %w", io.EOF), false, false, []stats.Index{stats.PeerEOFPeers}},
		{"reset", &os.SyscallError{Syscall: "read", Err: syscall.ECONNRESET}, false, false, []stats.Index{stats.PeerConnresetPeers}},
		{"injected reset", ErrConnectionReset, false, false, []stats.Index{stats.PeerConnresetPeers}},
		{"refused", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), false, true, []stats.Index{stats.PeerConnrefusedPeers}},
		{"broken pipe", syscall.EPIPE, false, false, []stats.Index{stats.PeerBrokenPipePeers}},
		{"unreachable", syscall.EHOSTUNREACH, false, true, []stats.Index{stats.PeerUnreachablePeers}},
		{"connect timeout", fmt.Errorf("dial: %w", os.ErrDeadlineExceeded), false, true, []stats.Index{stats.PeerConnectTimeouts}},
		{"context deadline while dialing", context.DeadlineExceeded, false, true, []stats.Index{stats.PeerConnectTimeouts}},
		{"read deadline when connected is no connect timeout", os.ErrDeadlineExceeded, false, false, nil},
		{"inactive", fmt.Errorf("%w (2m0s)", ErrInactive), false, false, []stats.Index{stats.PeerTimeoutPeers}},
		{"cancelled", context.Canceled, false, true, []stats.Index{stats.PeerAbortedPeers}},
		{"protocol", fmt.Errorf("%w: piece 3", ErrUnrequestedBlock), true, false, []stats.Index{stats.PeerErrorPeers}},
		{"protocol, oversized", wire.ErrMessageTooLong, true, false, []stats.Index{stats.PeerErrorPeers}},
		{"our decision", errors.New("torrent paused"), false, false, nil},
	}
	for _, tt := range tests {
		c := stats.NewCounters()
		countDisconnect(c, tt.err, tt.protocol, tt.dialing)
		want := map[stats.Index]int64{stats.PeerDisconnectedPeers: 1}
		for _, i := range tt.want {
			want[i] = 1
		}
		for i, v := range c.Snapshot() {
			if v != want[stats.Index(i)] {
				t.Errorf("%s: %s = %d, want %d", tt.name, stats.Metrics()[i].Name, v, want[stats.Index(i)])
			}
		}
	}
}

// The outgoing-message counters and the flag gauges: a gauge is held
// once however often its flag is set, and given back on release.
func TestFlagGauges(t *testing.T) {
	c := stats.NewCounters()
	f := flagGauges{c: c}
	f.set(stats.PeerNumPeersUpInterested, true)
	f.set(stats.PeerNumPeersUpInterested, true)
	f.set(stats.PeerNumPeersDownUnchoked, true)
	f.set(stats.PeerNumPeersDownUnchoked, false)
	f.set(stats.PeerNumPeersUpUnchokedAll, false)
	if c.Get(stats.PeerNumPeersUpInterested) != 1 || c.Get(stats.PeerNumPeersDownUnchoked) != 0 || c.Get(stats.PeerNumPeersUpUnchokedAll) != 0 {
		t.Fatalf("gauges %v", c.Snapshot())
	}
	f.release()
	f.release()
	for i, v := range c.Snapshot() {
		if v != 0 {
			t.Errorf("%s = %d after release", stats.Metrics()[i].Name, v)
		}
	}
}

// peerGauges: half-open until the connect, connected after; the dial
// goroutine moving it after the actor released it changes nothing.
func TestPeerGauges(t *testing.T) {
	c := stats.NewCounters()
	var out, in peerGauges
	out.c, in.c = c, c
	out.open(false, false)
	in.open(true, false)
	if c.Get(stats.PeerNumTCPPeers) != 2 || c.Get(stats.PeerNumPeersHalfOpen) != 1 || c.Get(stats.PeerNumPeersConnected) != 1 {
		t.Fatalf("after open: %v", c.Snapshot())
	}
	out.transportConnected()
	if c.Get(stats.PeerNumPeersHalfOpen) != 0 || c.Get(stats.PeerNumPeersConnected) != 2 {
		t.Fatalf("after connect: %v", c.Snapshot())
	}
	out.release()
	in.release()
	out.transportConnected() // late: released already
	out.release()
	for i, v := range c.Snapshot() {
		if v != 0 {
			t.Errorf("%s = %d after release", stats.Metrics()[i].Name, v)
		}
	}
}

// A connection tried over uTP counts in num_utp_peers until it falls back
// to TCP; an incoming uTP one counts there while it lasts; a fallback
// after the release changes nothing.
func TestPeerGaugesByTransport(t *testing.T) {
	c := stats.NewCounters()
	var out, in, late peerGauges
	out.c, in.c, late.c = c, c, c
	out.open(false, true)
	in.open(true, true)
	if c.Get(stats.PeerNumUTPPeers) != 2 || c.Get(stats.PeerNumTCPPeers) != 0 || !out.overUTP() {
		t.Fatalf("two uTP connections: %v", c.Snapshot())
	}
	out.fellBackToTCP()
	if c.Get(stats.PeerNumUTPPeers) != 1 || c.Get(stats.PeerNumTCPPeers) != 1 || out.overUTP() {
		t.Fatalf("after the fallback: utp %d tcp %d", c.Get(stats.PeerNumUTPPeers), c.Get(stats.PeerNumTCPPeers))
	}
	out.transportConnected()
	late.open(false, true)
	late.release()
	late.fellBackToTCP()
	out.release()
	in.release()
	for i, v := range c.Snapshot() {
		if v != 0 {
			t.Errorf("%s = %d after release", stats.Metrics()[i].Name, v)
		}
	}
}
