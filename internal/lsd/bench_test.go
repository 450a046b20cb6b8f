package lsd

import (
	"net/netip"
	"testing"
	"time"
)

// What one received datagram costs before the actor sees it (the reader
// parses) and in the actor (the limiter): a flood is paid at these rates.
func BenchmarkParse(b *testing.B) {
	pkt := []byte(libtorrentPacket)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLimiterAcceptFlood(b *testing.B) {
	l := NewLimiter()
	now := t0
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		p := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), uint16(i))
		l.Accept(p, ih(byte(i)), now)
		now = now.Add(time.Microsecond)
	}
}
