package wire

import (
	"net"
	"reflect"
	"testing"
)

func TestAllowedFastSet(t *testing.T) {
	var aa [20]byte
	for i := range aa {
		aa[i] = 0xaa
	}
	bep6 := net.IPv4(80, 4, 4, 200)
	tests := []struct {
		name      string
		ip        net.IP
		numPieces int
		k         int
		want      []uint32
	}{
		// Test vectors from BEP 6.
		{"bep6 k=7", bep6, 1313, 7, []uint32{1059, 431, 808, 1217, 287, 376, 1188}},
		{"bep6 k=9", bep6, 1313, 9, []uint32{1059, 431, 808, 1217, 287, 376, 1188, 353, 508}},
		// Same /24, so the same set.
		{"same subnet", net.IPv4(80, 4, 4, 1), 1313, 7, []uint32{1059, 431, 808, 1217, 287, 376, 1188}},
		{"4-byte form", net.IP{80, 4, 4, 200}, 1313, 7, []uint32{1059, 431, 808, 1217, 287, 376, 1188}},
		{"k=0", bep6, 1313, 0, nil},
		{"no pieces", bep6, 0, 5, nil},
		{"ipv6", net.ParseIP("2001:db8::1"), 1313, 7, nil},
		{"nil ip", nil, 1313, 7, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AllowedFastSet(tt.ip, aa, tt.numPieces, tt.k)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAllowedFastSetSmallTorrent(t *testing.T) {
	// k > numPieces must terminate with every piece exactly once.
	got := AllowedFastSet(net.IPv4(10, 0, 0, 1), [20]byte{}, 3, 10)
	if len(got) != 3 {
		t.Fatalf("got %v", got)
	}
	seen := map[uint32]bool{}
	for _, i := range got {
		if i >= 3 || seen[i] {
			t.Fatalf("bad set %v", got)
		}
		seen[i] = true
	}
}
