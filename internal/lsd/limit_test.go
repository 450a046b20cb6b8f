package lsd

import (
	"net/netip"
	"testing"
	"time"
)

func TestLimiterTakesAPeersTorrentOncePerRepeat(t *testing.T) {
	l := NewLimiter()
	p := netip.MustParseAddrPort("192.168.1.5:6881")
	if !l.Accept(p, ih(1), t0) {
		t.Fatal("the first announce was refused")
	}
	for _, d := range Resends {
		if l.Accept(p, ih(1), t0.Add(d)) {
			t.Errorf("the resend at %v was taken", d)
		}
	}
	if !l.Accept(p, ih(2), t0) {
		t.Error("another torrent of the same peer was refused")
	}
	if !l.Accept(netip.MustParseAddrPort("192.168.1.5:6882"), ih(1), t0) {
		t.Error("another peer at the same address was refused")
	}
	if !l.Accept(p, ih(1), t0.Add(l.Repeat)) {
		t.Error("the announce a Repeat later was refused")
	}
}

func TestLimiterBoundsAFloodingHost(t *testing.T) {
	l := NewLimiter()
	taken := 0
	for i := 0; i < 1000; i++ {
		p := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.1"), uint16(1000+i))
		if l.Accept(p, ih(1), t0) {
			taken++
		}
	}
	if taken != l.Burst {
		t.Errorf("took %d of a flood at once, want the burst %d", taken, l.Burst)
	}
	// After 10 s, 10 more.
	taken = 0
	for i := 0; i < 1000; i++ {
		p := netip.AddrPortFrom(netip.MustParseAddr("10.0.0.1"), uint16(3000+i))
		if l.Accept(p, ih(1), t0.Add(10*time.Second)) {
			taken++
		}
	}
	if taken != 10 {
		t.Errorf("took %d after 10 s, want 10", taken)
	}
	// Another host is not held back by the first.
	if !l.Accept(netip.MustParseAddrPort("10.0.0.2:1"), ih(1), t0.Add(10*time.Second)) {
		t.Error("a quiet host was refused")
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	l := NewLimiter()
	l.MaxEntries = 100
	now := t0
	for i := 0; i < 10000; i++ {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		l.Accept(netip.AddrPortFrom(a, 1), ih(1), now)
		if len(l.seen) > l.MaxEntries || len(l.hosts) > l.MaxEntries {
			t.Fatalf("%d entries, %d hosts", len(l.seen), len(l.hosts))
		}
	}
	// Once the entries are old, new announces are taken again.
	if !l.Accept(netip.MustParseAddrPort("10.9.9.9:1"), ih(1), now.Add(l.Repeat+time.Minute)) {
		t.Error("a full limiter did not make room for new announces after they expired")
	}
}
