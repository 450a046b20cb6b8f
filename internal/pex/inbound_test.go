package pex

import (
	"errors"
	"net/netip"
	"testing"
	"time"
)

// More than 6 messages within a minute is a flood; spaced out they are
// fine.
func TestInboundFlood(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := Inbound{MaxPeers: 50}
	msg := Encode(Message{})
	from := ap("1.1.1.1:1")
	for i := range 6 {
		if _, err := in.Receive(t0.Add(time.Duration(i)*time.Second), msg, from); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if _, err := in.Receive(t0.Add(59*time.Second), msg, from); !errors.Is(err, ErrTooFrequent) {
		t.Fatalf("7th within a minute: %v", err)
	}
	if _, err := in.Receive(t0.Add(61*time.Second), msg, from); err != nil {
		t.Fatalf("7th after a minute: %v", err)
	}
}

// A connection tells of at most MaxPeers at once; dropped ones free room;
// a peer told twice is new once; the sender itself is never added.
func TestInboundKnownPeers(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := Inbound{MaxPeers: 3}
	from := ap("1.1.1.1:1")
	ps := []Peer{{ap("2.2.2.1:1"), 0}, {ap("2.2.2.2:1"), FlagSeed}, {from, 0}, {ap("2.2.2.3:1"), 0}, {ap("2.2.2.4:1"), 0}}
	got, err := in.Receive(t0, Encode(Message{Added: ps}), from)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[1].Flags != FlagSeed || got[2].Addr != ps[3].Addr {
		t.Fatalf("first: %+v", got)
	}
	got, _ = in.Receive(t0.Add(Interval), Encode(Message{Added: ps}), from)
	if len(got) != 0 {
		t.Fatalf("told again while full: %+v", got)
	}
	got, _ = in.Receive(t0.Add(2*Interval), Encode(Message{Added: ps, Dropped: []netip.AddrPort{ps[0].Addr}}), from)
	if len(got) != 1 || got[0].Addr != ps[0].Addr {
		// dropped first, then the list is read again: 2.2.2.1 is new
		// again and fills the one place freed; 2.2.2.4 still finds none
		t.Fatalf("after a drop: %+v", got)
	}
}

// Local addresses come only from local peers (libtorrent's is_local).
func TestInboundLocalAddresses(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ps := []Peer{{ap("192.168.1.5:1"), 0}, {ap("127.0.0.2:1"), 0}, {ap("[fe80::1]:1"), 0}, {ap("8.8.8.8:1"), 0}}
	remote := Inbound{MaxPeers: 50}
	got, _ := remote.Receive(t0, Encode(Message{Added: ps}), ap("9.9.9.9:1"))
	if len(got) != 1 || got[0].Addr != ps[3].Addr {
		t.Fatalf("from a remote peer: %+v", got)
	}
	local := Inbound{MaxPeers: 50}
	got, _ = local.Receive(t0, Encode(Message{Added: ps}), ap("127.0.0.1:1"))
	if len(got) != 4 {
		t.Fatalf("from a local peer: %+v", got)
	}
}

func TestInboundRefusesBadMessages(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := Inbound{MaxPeers: 50}
	if _, err := in.Receive(t0, []byte("i1e"), ap("1.1.1.1:1")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("an int: %v", err)
	}
	if _, err := in.Receive(t0, make([]byte, MaxMessageSize+1), ap("1.1.1.1:1")); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
}
