package wire

import "testing"

func TestClientFromPeerID(t *testing.T) {
	for _, tt := range []struct{ id, want string }{
		{"-LT2080-abcdefghijkl", "libtorrent 2.0.8.0"},
		{"-TR3000-abcdefghijkl", "Transmission 3.0.0.0"},
		{"-qB4A10-abcdefghijkl", "qBittorrent 4.10.1.0"},
		{"A2-1-36-0-abcdefghij", "aria2 1.36.0"},
		{"M4-3-6--abcdefghijkl", "Mainline 4.3.6"},
		{"-ZZ1000-abcdefghijkl", ""},
		{"xxxxxxxxxxxxxxxxxxxx", ""},
		{"M4-x-6--abcdefghijkl", ""},
		{"A2-1abcdefghijklmnop", ""},
	} {
		var id [20]byte
		copy(id[:], tt.id)
		if got := ClientFromPeerID(id); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.id, got, tt.want)
		}
	}
}

// FuzzClientFromPeerID: any 20 bytes name a client or none, never panic.
func FuzzClientFromPeerID(f *testing.F) {
	f.Add([]byte("-LT2080-abcdefghijkl"))
	f.Add([]byte("A2-1-36-0-abcdefghij"))
	f.Add([]byte("M4-3-6--abcdefghijkl"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var id [20]byte
		copy(id[:], b)
		_ = ClientFromPeerID(id)
	})
}
