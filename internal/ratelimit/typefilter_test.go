package ratelimit

import "testing"

func TestDefaultTypeFilter(t *testing.T) {
	f := DefaultTypeFilter()
	global := Mask(GlobalClass)
	for _, tc := range []struct {
		st   SocketType
		in   uint32
		want uint32
	}{
		{TCPSocket, global, Mask(GlobalClass, TCPClass)},
		{SSLTCPSocket, global, Mask(GlobalClass, TCPClass)},
		{I2PSocket, global, Mask(GlobalClass, TCPClass)},
		{UTPSocket, global, global},
		{SSLUTPSocket, global, global},
		{TCPSocket, Mask(LocalClass), Mask(LocalClass, TCPClass)},
		{NumSocketTypes, global, global}, // out of range: unchanged
	} {
		if got := f.Apply(tc.st, tc.in); got != tc.want {
			t.Errorf("Apply(%v, %#x) = %#x, want %#x", tc.st, tc.in, got, tc.want)
		}
	}
}

func TestTypeFilterRules(t *testing.T) {
	var zero TypeFilter
	if zero.Apply(UTPSocket, 0xdeadbeef) != 0xdeadbeef {
		t.Error("the zero filter changes masks")
	}
	f := DefaultTypeFilter()
	// rate_limit_utp off: libtorrent disallows the global class for uTP.
	f.Disallow(UTPSocket, GlobalClass)
	f.Disallow(SSLUTPSocket, GlobalClass)
	if got := f.Apply(UTPSocket, Mask(GlobalClass, 5)); got != Mask(5) {
		t.Errorf("uTP with global disallowed: %#x", got)
	}
	// Disallowing is applied before adding: an added class stays.
	f.Disallow(TCPSocket, TCPClass)
	if got := f.Apply(TCPSocket, 0); got != Mask(TCPClass) {
		t.Errorf("added and disallowed: %#x, want the tcp class", got)
	}
	f.Allow(TCPSocket, TCPClass)
	f.Allow(UTPSocket, GlobalClass)
	f.Allow(SSLUTPSocket, GlobalClass)
	if f != DefaultTypeFilter() {
		t.Error("Allow did not undo Disallow")
	}
	f.Remove(TCPSocket, TCPClass)
	f.Remove(SSLTCPSocket, TCPClass)
	f.Remove(I2PSocket, TCPClass)
	if f != zero {
		t.Error("Remove did not undo Add")
	}
	f.Add(UTPSocket, 32)
	f.Disallow(NumSocketTypes, 1)
	f.Add(SocketType(200), 1)
	if f != zero {
		t.Error("out-of-range socket types or classes changed the filter")
	}
}
